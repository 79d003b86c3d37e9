// The daemon's whole configuration, read and checked in one place so that --check-config, start-up
// and SIGHUP reload agree. Every key, its default and its meaning is in kKeys (daemon_config.cc)
// and in docs/running.md's Configuration table. Relative paths are relative to the file's folder.
// Secrets are named here (file paths or systemd credential names) and read through ReadSecret.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "daemon/base/config_file.h"
#include "daemon/calendar/calendar_settings.h"
#include "daemon/credentials/oauth2_tokens.h"
#include "daemon/intake/spam_check.h"
#include "daemon/letters/letter_reader.h"
#include "daemon/outgoing/case_mailer.h"
#include "daemon/outgoing/outbox_sender.h"
#include "daemon/privacy/retention_schedule.h"
#include "daemon/reports/tsm.h"
#include "daemon/service/deadline_watcher.h"
#include "daemon/staff/staff_accounts.h"
#include "parsers/result.h"

namespace complaints {

struct MailboxConfig {
  std::string kind = "maildir";  // maildir | imap
  std::string maildir;           // for maildir
  std::string url;               // imaps://host:993/INBOX, imap://host/INBOX (STARTTLS)
  std::string user;
  std::string auth = "password";  // password (or a token file or command) | oauth2
  std::string password_secret;    // a file or credential name
  std::string token_secret;       // XOAUTH2 bearer token instead of a password
  std::string token_where;        // where that token is re-read at each connection
  std::string token_command;      // or: a command that prints a fresh token
  std::string processed_folder = "Processed";
  std::string quarantine_folder = "Quarantine";
  std::string spam_folder = "Suspected spam";
  std::string ca_file;
  bool tls_verify = true;
  std::chrono::seconds poll_interval{60};
  std::chrono::seconds outage_alert_after{15 * 60};
  bool starttls = true;  // imap://: STARTTLS required; false only for a loopback test server
  std::string password;  // read from password_secret at load
  std::string token;     // read from token_secret at load
};

struct SenderConfig {
  std::string kind = "pickup";  // pickup | smtp
  std::string pickup_dir;
  std::string url;  // smtps://host:465, smtp://host:587 (STARTTLS required)
  std::string user;
  std::string auth = "password";  // password (or a token file or command) | oauth2
  std::string password_secret;
  std::string token_secret;
  std::string token_where;
  std::string token_command;
  std::string ca_file;
  bool tls_verify = true;
  bool starttls = true;  // smtp://: STARTTLS required; false only for a loopback test server
  std::string password;  // read from password_secret at load
  std::string token;     // read from token_secret at load
};

// Spam and phishing: what the mail system's filters said, our own rules, and optionally spamd.
struct SpamConfig {
  bool check = true;
  SpamSettings settings;  // own domains default to ours and staff's, the name to the policy's
  std::optional<SpamdSettings> spamd;
};

// The letter path: scanned letters forwarded by staff.
struct LettersConfig {
  bool enabled = true;
  LetterReaderSettings reader;
  std::vector<std::string> return_address;  // our postal address, on letters we post
};

// The workbench (web/): where it listens, its assets, sign-in rules and a trusted proxy.
struct WebConfig {
  std::string listen = "127.0.0.1:8080";  // "" turns it off
  std::string assets_dir;                 // holds node_modules/govuk-frontend and static/
  std::vector<std::string> trusted_proxies;
  std::string proxy_user_header;
  LoginPolicy login;
};

struct DaemonConfig {
  std::string path;
  CalendarSettings calendar;
  std::string store_path;
  std::string policy_file;
  std::string templates_dir;
  std::string classifier_model;  // the model file (default: the one the build trained)
  // The Code's preference: a message this likely to be a complaint is handled as one, flagged for
  // review (default: the floor chosen for the shipped model, ClassifierSettings).
  std::optional<double> classifier_complaint_floor;
  // A complaint is acknowledged without a person's confirmation only when it is the likeliest
  // label and at least this likely (default: ClassifierSettings); below, triage.
  std::optional<double> classifier_complaint_sure;
  TriageDecision triage;
  SpamConfig spam;
  MailboxConfig mailbox;
  SenderConfig sender;
  // Set when mailbox.auth or smtp.auth is oauth2: one token source serves both.
  std::optional<OAuth2Settings> oauth2;
  MailSettings mail;  // mail.signing_key is filled from the secret at load
  std::string signing_key_secret;
  WatcherSettings watcher;
  std::chrono::seconds watcher_interval{60};
  std::chrono::minutes digest_at{8 * 60 + 30};
  OutboxSettings outbox;
  LettersConfig letters;
  std::string http_listen = "127.0.0.1:8025";
  WebConfig web;
  std::vector<HomesFrom> homes;  // landlord.homes: the stock, from the date each figure applies
  // reports.evidence-file: staff's evidence for the annual report's self-assessment
  // (daemon/reports/annual_report.h, ParseEvidence).
  std::string evidence_file;
  // reports.monthly-to: who gets the monthly view on the first working day of each month.
  std::vector<std::string> monthly_to;
  RetentionSchedule retention;  // retention.*: how long residents' personal data is kept
};

struct ConfigKey {
  const char* key;
  const char* fallback;  // "" when there is none
  const char* meaning;
};
const std::vector<ConfigKey>& ConfigKeys();

// Reads and checks everything (secrets included); `problems` gets one line per problem, naming the
// file and the key at fault. The result is usable only when `problems` stays empty.
DaemonConfig ReadDaemonConfig(const ConfigFile& file, std::vector<std::string>& problems);

// Every problem found; empty when the file is good.
std::vector<std::string> CheckDaemonConfig(const ConfigFile& file);

Result<DaemonConfig> LoadDaemonConfig(const std::string& path);

}  // namespace complaints
