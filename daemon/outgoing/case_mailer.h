// Turns a case event into mail in the outbox: renders the template with the case's values, signs
// the Message-ID, threads it to the resident's message, and queues it in the caller's transaction
// (so the mail exists exactly when the change that caused it is committed).
//
// The loop guard lives here: automatic mail to one recipient is capped per 24 hours, and mail is
// never queued to our own addresses. Holds references to its collaborators; not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemon/calendar/business_hours.h"
#include "daemon/calendar/clock.h"
#include "daemon/cases/case_record.h"
#include "daemon/cases/case_store.h"
#include "daemon/cases/policy.h"
#include "daemon/outgoing/mail_templates.h"
#include "daemon/outgoing/outgoing_mail.h"
#include "daemon/outgoing/staff_directory.h"

namespace complaints {

struct MailSettings {
  MailAddress from{"Complaints", "complaints@localhost.localdomain"};
  std::string message_id_domain = "localhost.localdomain";
  std::string signing_key;                   // required: signs our Message-IDs
  std::vector<std::string> own_addresses;    // never written to, never acknowledged (and `from`)
  std::vector<std::string> staff_domains;    // mail from these is staff's, never acknowledged
  std::vector<std::string> staff_addresses;  // and from these (staff outside those domains)
  std::string admin_address;                 // told about quarantined mail and outages
  std::string manager_address;               // complaints manager: replies, warnings, digest
  std::string compliments_address;           // gets a copy of every compliment (the team's inbox)
  StaffDirectory staff_directory;            // those praised by name get the copy instead
  int auto_reply_cap = 3;                    // automatic messages per recipient per 24 hours
};

class CaseMailer {
 public:
  CaseMailer(const MailTemplates& templates, const Policy& policy, const BusinessHours& hours,
             MailSettings settings, const Clock& clock);

  const MailSettings& settings() const { return settings_; }
  const MessageIdSigner& signer() const { return signer_; }
  bool IsOwnAddress(const std::string& address) const;
  bool IsStaffAddress(const std::string& address) const;
  // A template rendered without sending it (the text of a letter to print).
  Result<RenderedMail> Render(const std::string& name, const nlohmann::json& values) const;

  // What a template may say about a case, for its resident.
  nlohmann::json CaseValues(const CaseRecord& c, const Contact& resident) const;

  struct Outgoing {
    std::string template_name;
    MailAddress to;
    nlohmann::json values;  // CaseValues() plus anything the template needs
    std::string in_reply_to;
    std::vector<std::string> references;
    bool automatic = true;
    std::optional<int64_t> case_id;
    std::string unique;     // makes the Message-ID unique for this case (no dots)
    std::string reference;  // the case reference for the Message-ID, or "" for staff notices
    std::vector<MailAttachment> attachments;
  };
  // Queued: the outbox item. Not queued because of the loop guard: an empty optional, and `why`
  // says so. Errors (a template that fails, an invalid address) are errors.
  Result<std::optional<OutboxItem>> Queue(StoreTransaction& txn, const Outgoing& mail,
                                          std::string* why);

 private:
  const MailTemplates& templates_;
  const Policy& policy_;
  const BusinessHours& hours_;
  MailSettings settings_;
  const Clock& clock_;
  MessageIdSigner signer_;
};

// "Friday 4 December 2026": the day (in London) of `at`.
std::string DayInWords(Instant at);

}  // namespace complaints
