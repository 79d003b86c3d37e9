#include "daemon/service/daemon_config.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/base/command_line.h"
#include "daemon/credentials/jwt.h"
#include "daemon/credentials/secrets.h"

namespace complaints {
namespace {

const std::string kShipped = COMPLAINTSD_SOURCE_DIR;

class Reader {
 public:
  Reader(const ConfigFile& file, std::vector<std::string>& problems)
      : file_(file), problems_(problems) {
    std::error_code ec;
    dir_ = std::filesystem::absolute(file.source(), ec).parent_path();
  }

  std::string Text(const char* key) {
    if (auto v = file_.Get(key)) return *v;
    for (const ConfigKey& k : ConfigKeys()) {
      if (std::string(k.key) == key) return k.fallback;
    }
    return "";
  }
  // A path relative to the configuration file's folder.
  std::string Path(const char* key) {
    const std::string text = Text(key);
    if (text.empty() || text[0] == '/') return text;
    return (dir_ / text).lexically_normal().string();
  }
  long Number(const char* key, long min, long max) {
    Result<long> n = ParseWholeNumber(Text(key), "value", min, max);
    if (!n) Problem(key, n.error());
    return n ? *n : min;
  }
  bool Flag(const char* key) {
    const std::string t = Text(key);
    if (t == "true" || t == "yes" || t == "on") return true;
    if (t != "false" && t != "no" && t != "off") Problem(key, "expected true or false");
    return false;
  }
  std::string Choice(const char* key, std::initializer_list<const char*> choices) {
    const std::string t = Text(key);
    for (const char* c : choices) {
      if (t == c) return t;
    }
    std::string list;
    for (const char* c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    Problem(key, "'" + t + "' is not one of " + list);
    return *choices.begin();
  }
  void Problem(const std::string& key, const std::string& what) {
    problems_.push_back(file_.source() + ": " + key + ": " + what);
  }
  // Where a secret is: a bare name is a systemd credential when the daemon runs with
  // credentials; otherwise, like every path here, it is relative to the configuration file.
  std::string SecretWhere(const char* key) {
    const std::string name = Text(key);
    if (name.empty()) return "";
    const bool credential =
        name.find('/') == std::string::npos && std::getenv("CREDENTIALS_DIRECTORY") != nullptr;
    return credential ? name : Path(key);
  }
  std::string Secret(const char* key, bool required) {
    const std::string where = SecretWhere(key);
    if (where.empty()) {
      if (required) Problem(key, "required: name a file (chmod 600) or a systemd credential");
      return "";
    }
    Result<std::string> secret = ReadSecret(where);
    if (!secret) Problem(key, secret.error());
    return secret ? *secret : "";
  }

 private:
  const ConfigFile& file_;
  std::vector<std::string>& problems_;
  std::filesystem::path dir_;
};

void ReadMailbox(Reader& r, MailboxConfig& m) {
  m.kind = r.Choice("mailbox.kind", {"maildir", "imap"});
  m.maildir = r.Path("mailbox.maildir");
  m.url = r.Text("mailbox.url");
  m.user = r.Text("mailbox.user");
  m.auth = r.Choice("mailbox.auth", {"password", "oauth2"});
  m.password_secret = r.Text("mailbox.password-file");
  m.token_secret = r.Text("mailbox.oauth-token-file");
  m.token_where = r.SecretWhere("mailbox.oauth-token-file");
  m.token_command = r.Text("mailbox.oauth-token-command");
  m.processed_folder = r.Text("mailbox.processed-folder");
  m.quarantine_folder = r.Text("mailbox.quarantine-folder");
  m.spam_folder = r.Text("mailbox.spam-folder");
  m.ca_file = r.Path("mailbox.ca-file");
  m.tls_verify = r.Flag("mailbox.tls-verify");
  m.poll_interval = std::chrono::seconds{r.Number("mailbox.poll-seconds", 1, 3600)};
  m.outage_alert_after = std::chrono::seconds{r.Number("mailbox.outage-alert-seconds", 1, 86400)};
  m.starttls = r.Flag("mailbox.starttls");
  if (m.kind == "maildir" && m.maildir.empty()) {
    r.Problem("mailbox.maildir", "required when mailbox.kind = maildir");
  }
  if (m.kind == "imap") {
    if (m.url.rfind("imaps://", 0) != 0 && m.url.rfind("imap://", 0) != 0) {
      r.Problem("mailbox.url", "expected imaps://host[:port]/FOLDER or imap://host[:port]/FOLDER");
    }
    if (m.user.empty()) r.Problem("mailbox.user", "required when mailbox.kind = imap");
    if (m.auth == "oauth2") {
      if (!m.password_secret.empty() || !m.token_secret.empty() || !m.token_command.empty()) {
        r.Problem("mailbox.auth",
                  "with oauth2, set none of mailbox.password-file, mailbox.oauth-token-file and "
                  "mailbox.oauth-token-command (the token comes from the oauth2.* settings)");
      }
      return;
    }
    const int ways =
        !m.password_secret.empty() + !m.token_secret.empty() + !m.token_command.empty();
    if (ways != 1) {
      r.Problem("mailbox.password-file",
                "set exactly one of mailbox.password-file, mailbox.oauth-token-file and "
                "mailbox.oauth-token-command");
    } else {
      m.password = r.Secret("mailbox.password-file", false);
      m.token = r.Secret("mailbox.oauth-token-file", false);
    }
  }
}

void ReadSender(Reader& r, SenderConfig& s) {
  s.kind = r.Choice("outbox.kind", {"pickup", "smtp"});
  s.pickup_dir = r.Path("outbox.pickup-dir");
  s.url = r.Text("smtp.url");
  s.user = r.Text("smtp.user");
  s.auth = r.Choice("smtp.auth", {"password", "oauth2"});
  s.password_secret = r.Text("smtp.password-file");
  s.token_secret = r.Text("smtp.oauth-token-file");
  s.token_where = r.SecretWhere("smtp.oauth-token-file");
  s.token_command = r.Text("smtp.oauth-token-command");
  s.ca_file = r.Path("smtp.ca-file");
  s.tls_verify = r.Flag("smtp.tls-verify");
  s.starttls = r.Flag("smtp.starttls");
  if (s.kind == "smtp" && s.auth == "oauth2") {
    if (!s.password_secret.empty() || !s.token_secret.empty() || !s.token_command.empty()) {
      r.Problem("smtp.auth",
                "with oauth2, set none of smtp.password-file, smtp.oauth-token-file and "
                "smtp.oauth-token-command (the token comes from the oauth2.* settings)");
    }
  } else if (s.kind == "smtp") {
    if (!s.token_command.empty() && (!s.token_secret.empty() || !s.password_secret.empty())) {
      r.Problem("smtp.oauth-token-command",
                "set at most one of smtp.password-file, smtp.oauth-token-file and "
                "smtp.oauth-token-command");
    }
    s.password = r.Secret("smtp.password-file", false);
    s.token = r.Secret("smtp.oauth-token-file", false);
  }
  if (s.kind == "pickup" && s.pickup_dir.empty()) {
    r.Problem("outbox.pickup-dir", "required when outbox.kind = pickup");
  }
  if (s.kind == "smtp" && s.url.rfind("smtps://", 0) != 0 && s.url.rfind("smtp://", 0) != 0) {
    r.Problem("smtp.url", "expected smtps://host[:port] or smtp://host[:port]");
  }
}

// A file that is not secret (a certificate), read whole.
std::string ReadPlainFile(Reader& r, const char* key) {
  const std::string path = r.Path(key);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) r.Problem(key, path + ": cannot be read");
  return text.str();
}

void ReadOAuth2(Reader& r, DaemonConfig& c) {
  const bool smtp = c.sender.kind == "smtp" && c.sender.auth == "oauth2";
  if (c.mailbox.auth != "oauth2" && !smtp) return;
  OAuth2Settings o;
  o.provider = r.Choice("oauth2.provider", {"microsoft", "google"});
  const bool google = o.provider == "google";
  o.flow = google ? "service-account" : "client-credentials";
  if (!r.Text("oauth2.flow").empty()) {
    o.flow = google ? r.Choice("oauth2.flow", {"service-account"})
                    : r.Choice("oauth2.flow", {"client-credentials", "device-code"});
  }
  o.tenant = r.Text("oauth2.tenant");
  o.client_id = r.Text("oauth2.client-id");
  o.user = r.Text("oauth2.user");
  if (o.user.empty()) o.user = c.mailbox.user.empty() ? c.sender.user : c.mailbox.user;
  o.token_url = r.Text("oauth2.token-url");
  o.scope = r.Text("oauth2.scope");
  if (!o.token_url.empty() && o.token_url.rfind("https://", 0) != 0 &&
      o.token_url.rfind("http://127.0.0.1", 0) != 0 && o.token_url.rfind("http://[::1]", 0) != 0) {
    r.Problem("oauth2.token-url", "expected https://... (plain http only to 127.0.0.1)");
  }
  const bool secret = !r.Text("oauth2.client-secret-file").empty();
  const bool certificate = !r.Text("oauth2.certificate-file").empty();
  const bool key = !r.Text("oauth2.private-key-file").empty();
  if (google) {
    if (r.Text("oauth2.service-account-file").empty()) {
      r.Problem("oauth2.service-account-file", "required with oauth2.provider = google");
    } else {
      o.service_account_json = r.Secret("oauth2.service-account-file", true);
    }
    if (o.user.empty()) r.Problem("oauth2.user", "required: the mailbox's address");
  } else {
    if (o.tenant.empty() && o.token_url.empty()) {
      r.Problem("oauth2.tenant", "required with oauth2.provider = microsoft (the tenant ID)");
    }
    if (o.client_id.empty()) r.Problem("oauth2.client-id", "required (the app's client ID)");
    if (certificate != key) {
      r.Problem("oauth2.certificate-file",
                "set both oauth2.certificate-file and oauth2.private-key-file, or neither");
    }
    if (o.flow == "client-credentials" && secret == certificate) {
      r.Problem("oauth2.client-secret-file",
                "set exactly one of oauth2.client-secret-file and oauth2.certificate-file "
                "(with oauth2.private-key-file)");
    }
    o.client_secret = r.Secret("oauth2.client-secret-file", false);
    if (certificate && key) {
      o.certificate_pem = ReadPlainFile(r, "oauth2.certificate-file");
      if (Result<CertificateFacts> cert = ReadCertificate(o.certificate_pem); !cert) {
        r.Problem("oauth2.certificate-file", cert.error());
      }
      o.private_key_pem = r.Secret("oauth2.private-key-file", true);
      if (!o.private_key_pem.empty()) {
        if (Result<std::string> signed_ = SignJwtRs256("{}", "{}", o.private_key_pem); !signed_) {
          r.Problem("oauth2.private-key-file", signed_.error());
        }
      }
    }
    // The refresh token lives beside the store, in the daemon's state directory.
    const std::filesystem::path store(c.store_path);
    o.refresh_token_file = (store.parent_path() / "oauth2-refresh-token").string();
  }
  if (smtp && c.sender.user.empty()) c.sender.user = o.user;
  c.oauth2 = o;
}

void ReadMail(Reader& r, DaemonConfig& c) {
  MailSettings& m = c.mail;
  m.from = {r.Text("mail.from-name"), r.Text("mail.from")};
  if (Status s = ValidateAddress(m.from.address); !s) r.Problem("mail.from", s.error());
  m.message_id_domain = r.Text("mail.domain");
  if (m.message_id_domain.empty()) {
    const size_t at = m.from.address.rfind('@');
    m.message_id_domain = at == std::string::npos ? "localhost" : m.from.address.substr(at + 1);
  }
  m.own_addresses = SplitList(r.Text("mail.own-addresses"));
  m.staff_domains = SplitList(r.Text("mail.staff-domains"));
  m.staff_addresses = SplitList(r.Text("mail.staff-addresses"));
  for (const std::string& a : m.staff_addresses) {
    if (Status s = ValidateAddress(a); !s) r.Problem("mail.staff-addresses", s.error());
  }
  m.admin_address = r.Text("mail.admin");
  m.manager_address = r.Text("mail.manager");
  m.compliments_address = r.Text("mail.compliments-to");
  for (const char* key : {"mail.admin", "mail.manager", "mail.compliments-to"}) {
    const std::string a = r.Text(key);
    if (!a.empty()) {
      if (Status s = ValidateAddress(a); !s) r.Problem(key, s.error());
    }
  }
  if (const std::string path = r.Path("mail.staff-directory"); !path.empty()) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    Result<StaffDirectory> directory =
        in ? StaffDirectory::Parse(text.str(), path)
           : Result<StaffDirectory>::Error(path + ": cannot be read");
    if (directory) {
      m.staff_directory = std::move(directory).value();
    } else {
      r.Problem("mail.staff-directory", directory.error());
    }
  }
  m.auto_reply_cap = static_cast<int>(r.Number("mail.auto-reply-cap", 0, 100));
  c.signing_key_secret = r.Text("mail.signing-key-file");
  m.signing_key = r.Secret("mail.signing-key-file", true);
}

void ReadDeadlines(Reader& r, DaemonConfig& c) {
  c.watcher.warn_working_days = static_cast<int>(r.Number("deadlines.warn-working-days", 0, 20));
  if (const long hours = r.Number("deadlines.warn-hours", 0, 240); hours > 0) {
    c.watcher.warn_hours = std::chrono::hours{hours};
  }
  Result<std::chrono::minutes> start = ParseClockTime(r.Text("deadlines.start-of-day"));
  if (!start) r.Problem("deadlines.start-of-day", start.error());
  c.watcher.start_of_day = start ? *start : std::chrono::minutes{9 * 60};
  c.watcher.board_member_address = r.Text("deadlines.board-member");
  c.watcher_interval = std::chrono::seconds{r.Number("deadlines.interval-seconds", 5, 3600)};
  Result<std::chrono::minutes> digest = ParseClockTime(r.Text("deadlines.digest-time"));
  if (!digest) r.Problem("deadlines.digest-time", digest.error());
  c.digest_at = digest ? *digest : std::chrono::minutes{8 * 60 + 30};
  c.outbox.max_attempts = static_cast<int>(r.Number("outbox.max-attempts", 1, 1000));
  c.outbox.first_retry = std::chrono::seconds{r.Number("outbox.first-retry-seconds", 1, 3600)};
}

void ReadRetention(Reader& r, RetentionSchedule& s) {
  s.enabled = r.Flag("retention.enabled");
  s.complaint_years = static_cast<int>(r.Number("retention.complaint-years", 1, 100));
  s.other_case_years = static_cast<int>(r.Number("retention.other-case-years", 1, 100));
  s.spam_days = static_cast<int>(r.Number("retention.spam-days", 1, 36500));
  s.unfiled_days = static_cast<int>(r.Number("retention.unfiled-days", 1, 36500));
}

void ReadLetters(Reader& r, LettersConfig& l) {
  l.enabled = r.Flag("letters.enabled");
  l.reader.helper = r.Path("letters.reader");
  if (l.reader.helper.empty()) l.reader.helper = DefaultLetterHelper();
  if (l.enabled && access(l.reader.helper.c_str(), X_OK) != 0) {
    r.Problem("letters.reader", l.reader.helper +
                                    ": not an executable program (build complaintsd-letter, or "
                                    "set letters.enabled = false)");
  }
  l.reader.timeout = std::chrono::seconds{r.Number("letters.timeout-seconds", 5, 3600)};
  l.reader.memory_mb = static_cast<int>(r.Number("letters.memory-mb", 256, 65536));
  l.reader.max_pages = static_cast<int>(r.Number("letters.max-pages", 1, 500));
  const std::string address = r.Text("letters.return-address");
  for (size_t at = 0; at <= address.size() && !address.empty();) {
    size_t bar = address.find('|', at);
    if (bar == std::string::npos) bar = address.size();
    std::string line = address.substr(at, bar - at);
    while (!line.empty() && line.front() == ' ') line.erase(line.begin());
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) l.return_address.push_back(line);
    at = bar + 1;
  }
}

}  // namespace

void ReadSpam(Reader& r, DaemonConfig& c) {
  c.spam.check = r.Flag("spam.check");
  c.spam.settings.own_domains = SplitList(r.Text("spam.own-domains"));
  if (c.spam.settings.own_domains.empty()) {
    const std::string from = c.mail.from.address;
    if (const size_t at = from.find('@'); at != std::string::npos) {
      c.spam.settings.own_domains.push_back(from.substr(at + 1));
    }
    c.spam.settings.own_domains.push_back(c.mail.message_id_domain);
    for (const std::string& d : c.mail.staff_domains) c.spam.settings.own_domains.push_back(d);
  }
  for (std::string& d : c.spam.settings.own_domains) {
    for (char& ch : d) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  std::sort(c.spam.settings.own_domains.begin(), c.spam.settings.own_domains.end());
  c.spam.settings.own_domains.erase(
      std::unique(c.spam.settings.own_domains.begin(), c.spam.settings.own_domains.end()),
      c.spam.settings.own_domains.end());
  c.spam.settings.landlord_name = r.Text("spam.landlord-name");
  c.spam.settings.scl_threshold = static_cast<int>(r.Number("spam.scl-threshold", 1, 9));
  if (const std::string spamd = r.Text("spam.spamd"); !spamd.empty()) {
    const size_t colon = spamd.rfind(':');
    Result<long> port = colon == std::string::npos
                            ? Result<long>::Error("expected host:port, such as 127.0.0.1:783")
                            : ParseWholeNumber(spamd.substr(colon + 1), "port", 1, 65535);
    if (!port || colon == 0) {
      r.Problem("spam.spamd", port ? "expected host:port, such as 127.0.0.1:783" : port.error());
    } else {
      SpamdSettings s;
      s.host = spamd.substr(0, colon);
      s.port = static_cast<int>(*port);
      s.spamc = r.Text("spam.spamc");
      c.spam.spamd = s;
    }
  }
}

const std::vector<ConfigKey>& ConfigKeys() {
  static const std::vector<ConfigKey> keys = {
      {"calendar.region", "england-and-wales", "bank-holiday division (the policy's wins)"},
      {"calendar.close-of-business", "17:00", "Europe/London (the policy's wins)"},
      {"calendar.closures", "", "office closure days, YYYY-MM-DD or A..B, comma-separated"},
      {"calendar.removed-holidays", "", "bank holidays the office works"},
      {"calendar.bank-holidays-file", "", "a GOV.UK bank-holidays.json"},
      {"store.path", "/var/lib/complaintsd/complaints.db", "the SQLite database"},
      {"policy.file", "", "the landlord's policy (default: the shipped hos-code-2024.json)"},
      {"templates.dir", "", "the email templates (default: the shipped templates/)"},
      {"classifier.model", "",
       "the classifier's model file (default: the one built from the shipped corpus)"},
      {"classifier.complaint-floor", "",
       "a message at least this likely to be a complaint is handled as one, flagged for review "
       "(default: 0.13, chosen for the shipped model; for your own, see classifier train "
       "--scores; at most 0.5)"},
      {"classifier.complaint-sure", "",
       "a complaint is acknowledged as one without a person's confirmation only when it is the "
       "likeliest label and at least this likely; between the floor and this, the sender gets a "
       "neutral receipt and the case goes on the triage list (default: chosen for the shipped "
       "model, see docs/measurements.md)"},
      {"triage.at-deadline", "complaint",
       "a triage case nobody settled as its acknowledgement falls due: complaint (treated as one "
       "and acknowledged, the Code's preference) or wait (left for a person; it breaches)"},
      {"triage.decide-minutes", "60",
       "with triage.at-deadline = complaint, how long before the acknowledgement deadline"},
      {"spam.check", "true",
       "hold suspected spam and phishing: the mail system's verdict headers, lookalikes of our "
       "domains, credential lures in our name, and spamd when set (false: never)"},
      {"spam.own-domains", "",
       "our mail domains, whose lookalikes are phishing (default: mail.from's, mail.domain and "
       "mail.staff-domains)"},
      {"spam.landlord-name", "", "the name lures use (default: the policy's landlord)"},
      {"spam.spamd", "",
       "host:port of a SpamAssassin spamd, asked through spamc (empty: not asked)"},
      {"spam.spamc", "spamc", "the spamc program"},
      {"spam.scl-threshold", "5", "Microsoft 365's spam confidence level (SCL) counted as spam"},
      {"mailbox.kind", "maildir", "maildir or imap"},
      {"mailbox.maildir", "", "the Maildir to read (mailbox.kind = maildir)"},
      {"mailbox.url", "", "imaps://host[:993]/INBOX, or imap://host/INBOX with STARTTLS"},
      {"mailbox.user", "", "the IMAP login"},
      {"mailbox.auth", "password",
       "password (mailbox.password-file, or a token from mailbox.oauth-token-file or -command) "
       "or oauth2 (complaintsd fetches tokens itself: the oauth2.* keys)"},
      {"mailbox.password-file", "", "secret: the IMAP password (file, chmod 600, or credential)"},
      {"mailbox.oauth-token-file", "",
       "secret: an XOAUTH2 bearer token instead of a password (re-read at each connection)"},
      {"mailbox.oauth-token-command", "",
       "or a command that prints a fresh XOAUTH2 token, run at each connection"},
      {"mailbox.processed-folder", "Processed", "where handled mail is moved"},
      {"mailbox.quarantine-folder", "Quarantine", "where mail that cannot be handled is moved"},
      {"mailbox.spam-folder", "Suspected spam",
       "where suspected spam and phishing is moved (no case, nothing sent; staff can release it)"},
      {"mailbox.ca-file", "", "CA bundle to verify the IMAP server with (default: the system's)"},
      {"mailbox.tls-verify", "true",
       "verify the IMAP server's certificate (never off in production)"},
      {"mailbox.poll-seconds", "60", "polling interval when the server has no IDLE"},
      {"mailbox.starttls", "true",
       "with imap://, require STARTTLS (false only for a local test server)"},
      {"mailbox.outage-alert-seconds", "900", "email the admin when the mailbox is down this long"},
      {"outbox.kind", "pickup", "pickup (a folder of .eml files) or smtp"},
      {"outbox.pickup-dir", "", "the pickup folder (outbox.kind = pickup)"},
      {"outbox.max-attempts", "60", "sending attempts before a message fails for good"},
      {"outbox.first-retry-seconds", "60", "wait before the first retry; doubles up to an hour"},
      {"smtp.url", "", "smtps://host[:465], or smtp://host[:587] with STARTTLS required"},
      {"smtp.user", "", "the SMTP login (empty: no AUTH)"},
      {"smtp.auth", "password",
       "password (smtp.password-file, or a token from smtp.oauth-token-file or -command) or "
       "oauth2 (the oauth2.* keys, shared with the mailbox)"},
      {"smtp.password-file", "", "secret: the SMTP password"},
      {"smtp.oauth-token-file", "",
       "secret: an XOAUTH2 bearer token instead of a password (re-read for each message)"},
      {"smtp.oauth-token-command", "",
       "or a command that prints a fresh XOAUTH2 token, run for each message"},
      {"smtp.ca-file", "", "CA bundle to verify the SMTP server with"},
      {"smtp.tls-verify", "true", "verify the SMTP server's certificate"},
      {"smtp.starttls", "true",
       "with smtp://, require STARTTLS (false only for a local test server)"},
      {"oauth2.provider", "microsoft", "microsoft (Microsoft 365) or google (Google Workspace)"},
      {"oauth2.flow", "",
       "client-credentials (Microsoft app-only, the default there), device-code (Microsoft "
       "delegated: complaintsctl mailbox login once) or service-account (Google, the default "
       "there)"},
      {"oauth2.tenant", "", "Microsoft: the directory (tenant) ID"},
      {"oauth2.client-id", "", "Microsoft: the app registration's application (client) ID"},
      {"oauth2.client-secret-file", "", "secret: the app's client secret"},
      {"oauth2.certificate-file", "",
       "or a certificate uploaded to the app (PEM): its key signs a client assertion (RS256)"},
      {"oauth2.private-key-file", "", "secret: the certificate's RSA private key (PEM)"},
      {"oauth2.service-account-file", "",
       "secret: Google's service account key (JSON), with domain-wide delegation"},
      {"oauth2.user", "", "the mailbox's address (default: mailbox.user)"},
      {"oauth2.token-url", "",
       "the token endpoint (default: the provider's; for national clouds); the device-code "
       "endpoint is the same URL ending in /devicecode"},
      {"oauth2.scope", "",
       "the scope asked for (default: Microsoft app-only https://outlook.office365.com/.default, "
       "delegated offline_access with IMAP.AccessAsUser.All and SMTP.Send; Google "
       "https://mail.google.com/)"},
      {"mail.from", "complaints@localhost.localdomain", "our address: From of everything we send"},
      {"mail.from-name", "Complaints", "the display name on our mail"},
      {"mail.domain", "", "the domain of our Message-IDs (default: mail.from's)"},
      {"mail.signing-key-file", "", "secret, required: the key that signs our Message-IDs"},
      {"mail.own-addresses", "", "more of our own addresses: never acknowledged"},
      {"mail.staff-domains", "", "staff's mail domains: never acknowledged; may forward letters"},
      {"mail.staff-addresses", "", "staff addresses outside those domains (same treatment)"},
      {"mail.admin", "", "told about quarantined mail and mailbox outages"},
      {"mail.manager", "", "the complaints manager: replies, warnings, breaches, digest"},
      {"mail.compliments-to", "",
       "gets a copy of every compliment, to pass praise on to the staff named"},
      {"mail.staff-directory", "",
       "a file of 'name | other name = address' lines: praise goes to whoever is named"},
      {"mail.auto-reply-cap", "3", "automatic messages per recipient per 24 hours"},
      {"deadlines.warn-working-days", "1", "warn at the start of the N-th working day before"},
      {"deadlines.warn-hours", "0", "or warn N hours before (0: use working days)"},
      {"deadlines.start-of-day", "09:00", "when a working day starts, for warnings"},
      {"deadlines.board-member", "", "copied on breach notices when set"},
      {"deadlines.interval-seconds", "60", "how often the deadline watcher runs"},
      {"deadlines.digest-time", "08:30", "when the manager's daily digest goes, on working days"},
      {"retention.enabled", "true",
       "remove expired personal data once a day (docs/privacy.md); false: only by complaintsctl"},
      {"retention.complaint-years", "6", "complaints are kept this many years after they ended"},
      {"retention.other-case-years", "2", "other cases are kept this many years after they ended"},
      {"retention.spam-days", "90", "suspected spam and quarantined mail on no case: days kept"},
      {"retention.unfiled-days", "365", "other mail that joined no case: days kept"},
      {"letters.enabled", "true",
       "read scanned letters that staff forward (false: quarantine them for a person)"},
      {"letters.reader", "", "the complaintsd-letter program (default: the one built beside us)"},
      {"letters.timeout-seconds", "180", "time limit for reading one forwarded message's scans"},
      {"letters.memory-mb", "1536", "memory limit of the letter reader"},
      {"letters.max-pages", "20", "pages read per file; the rest are noted, not read"},
      {"letters.return-address", "",
       "our postal address on letters we post, lines separated by '|' (default: the landlord)"},
      {"http.listen", "127.0.0.1:8025", "health and metrics listener"},
      {"web.listen", "127.0.0.1:8080",
       "the workbench for staff (ADDRESS:PORT; empty turns it off); put TLS in front of it"},
      {"web.assets-dir", "",
       "folder with node_modules/govuk-frontend and static/ (default: web/ in the source tree)"},
      {"web.trusted-proxies", "",
       "addresses of a reverse proxy whose user header is believed (single sign-on)"},
      {"web.proxy-user-header", "", "that header, e.g. X-Forwarded-User (empty: none believed)"},
      {"web.session-idle-minutes", "30", "a workbench session unused this long ends"},
      {"web.lock-after", "5", "failed sign-ins in a row that lock an account"},
      {"web.lock-minutes", "15", "how long it stays locked"},
      {"landlord.homes", "",
       "homes owned, from the date each figure applies: 2024-04-01:12450, 2025-10-01:12600 (for "
       "the TSM report)"},
      {"reports.evidence-file", "",
       "staff's evidence for the annual report's self-assessment: [N] starts Code section N"},
      {"reports.monthly-to", "",
       "addresses (comma-separated) sent the monthly view on the first working day of a month"},
  };
  return keys;
}

DaemonConfig ReadDaemonConfig(const ConfigFile& file, std::vector<std::string>& problems) {
  DaemonConfig c;
  c.path = file.source();
  for (const std::string& key : file.Keys()) {
    const auto& keys = ConfigKeys();
    if (std::none_of(keys.begin(), keys.end(), [&](const ConfigKey& k) { return key == k.key; })) {
      problems.push_back(file.source() + ": " + key +
                         ": unknown key (see docs/running.md, Configuration)");
    }
  }
  Result<CalendarSettings> calendar = ReadCalendarSettings(file);
  if (!calendar) {
    problems.push_back(calendar.error());
  } else {
    c.calendar = *calendar;
    if (Result<BusinessHours> hours = BuildBusinessHours(*calendar); !hours) {
      problems.push_back(file.source() + ": calendar.bank-holidays-file: " + hours.error());
    }
  }
  Reader r(file, problems);
  c.store_path = r.Path("store.path");
  c.policy_file = r.Path("policy.file");
  if (c.policy_file.empty()) c.policy_file = kShipped + "/config/policies/hos-code-2024.json";
  c.templates_dir = r.Path("templates.dir");
  if (c.templates_dir.empty()) c.templates_dir = kShipped + "/templates";
  c.classifier_model = r.Path("classifier.model");
  if (c.classifier_model.empty()) c.classifier_model = COMPLAINTSD_MODEL_PATH;
  if (!std::filesystem::exists(c.classifier_model)) {
    r.Problem("classifier.model", c.classifier_model +
                                      ": no such model (build it, or train one with "
                                      "'complaintsctl classifier train --out FILE')");
  }
  if (const std::string floor = r.Text("classifier.complaint-floor"); !floor.empty()) {
    // Above a half the Code's preference would be gone: another label could win over a likely
    // complaint (classify --floor measures without it; the daemon never runs so).
    Result<double> p = ParseProbability(floor, "value");
    if (p && *p > 0.5) {
      p = Result<double>::Error(
          "at most 0.5: above it the Code's preference for complaint is lost");
    }
    if (p) {
      c.classifier_complaint_floor = *p;
    } else {
      r.Problem("classifier.complaint-floor", p.error());
    }
  }
  if (const std::string sure = r.Text("classifier.complaint-sure"); !sure.empty()) {
    Result<double> p = ParseProbability(sure, "value");
    if (p && *p < c.classifier_complaint_floor.value_or(0)) {
      p = Result<double>::Error("must not be below classifier.complaint-floor");
    }
    if (p) {
      c.classifier_complaint_sure = *p;
    } else {
      r.Problem("classifier.complaint-sure", p.error());
    }
  }
  c.triage.treat_as_complaint =
      r.Choice("triage.at-deadline", {"complaint", "wait"}) == "complaint";
  c.triage.before = std::chrono::minutes{r.Number("triage.decide-minutes", 1, 24 * 60)};
  ReadMailbox(r, c.mailbox);
  ReadSender(r, c.sender);
  ReadOAuth2(r, c);
  ReadMail(r, c);
  ReadSpam(r, c);
  ReadDeadlines(r, c);
  ReadLetters(r, c.letters);
  ReadRetention(r, c.retention);
  c.http_listen = r.Text("http.listen");
  c.web.listen = r.Text("web.listen");
  c.web.assets_dir = r.Path("web.assets-dir");
  if (c.web.assets_dir.empty()) c.web.assets_dir = kShipped + "/web";
  c.web.trusted_proxies = SplitList(r.Text("web.trusted-proxies"));
  c.web.proxy_user_header = r.Text("web.proxy-user-header");
  c.web.login.session_idle = std::chrono::minutes{r.Number("web.session-idle-minutes", 1, 24 * 60)};
  c.web.login.lock_after = static_cast<int>(r.Number("web.lock-after", 1, 100));
  c.web.login.lock_for = std::chrono::minutes{r.Number("web.lock-minutes", 1, 24 * 60)};
  if (Result<std::vector<HomesFrom>> homes = ParseHomes(r.Text("landlord.homes")); homes) {
    c.homes = std::move(homes).value();
  } else {
    r.Problem("landlord.homes", homes.error());
  }
  c.evidence_file = r.Path("reports.evidence-file");
  c.monthly_to = SplitList(r.Text("reports.monthly-to"));
  for (const std::string& a : c.monthly_to) {
    if (Status s = ValidateAddress(a); !s) r.Problem("reports.monthly-to", s.error());
  }
  return c;
}

std::vector<std::string> CheckDaemonConfig(const ConfigFile& file) {
  std::vector<std::string> problems;
  ReadDaemonConfig(file, problems);
  return problems;
}

Result<DaemonConfig> LoadDaemonConfig(const std::string& path) {
  Result<ConfigFile> file = ConfigFile::Load(path);
  if (!file) return Result<DaemonConfig>::Error(file.error());
  std::vector<std::string> problems;
  DaemonConfig config = ReadDaemonConfig(*file, problems);
  if (!problems.empty()) {
    std::string all;
    for (const std::string& p : problems) all += (all.empty() ? "" : "\n") + p;
    return Result<DaemonConfig>::Error(all);
  }
  return config;
}

}  // namespace complaints
