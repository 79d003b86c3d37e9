#include "daemon/outgoing/case_mailer.h"

#include <algorithm>
#include <cctype>

#include "daemon/calendar/london_time.h"

namespace complaints {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::string DayInWords(Instant at) {
  static const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                "Thursday", "Friday", "Saturday"};
  static const char* kMonths[] = {"January",   "February", "March",    "April",
                                  "May",       "June",     "July",     "August",
                                  "September", "October",  "November", "December"};
  const std::chrono::sys_days day = ToLondon(at).day;
  const std::chrono::year_month_day ymd{day};
  return std::string(kDays[std::chrono::weekday{day}.c_encoding()]) + " " +
         std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         kMonths[static_cast<unsigned>(ymd.month()) - 1] + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

CaseMailer::CaseMailer(const MailTemplates& templates, const Policy& policy,
                       const BusinessHours& hours, MailSettings settings, const Clock& clock)
    : templates_(templates),
      policy_(policy),
      hours_(hours),
      settings_(std::move(settings)),
      clock_(clock),
      signer_(settings_.signing_key, settings_.message_id_domain) {}

bool CaseMailer::IsOwnAddress(const std::string& address) const {
  const std::string a = Lower(address);
  if (a == Lower(settings_.from.address)) return true;
  return std::any_of(settings_.own_addresses.begin(), settings_.own_addresses.end(),
                     [&](const std::string& own) { return Lower(own) == a; });
}

bool CaseMailer::IsStaffAddress(const std::string& address) const {
  const std::string a = Lower(address);
  const size_t at = a.rfind('@');
  if (at == std::string::npos) return false;
  const std::string domain = a.substr(at + 1);
  return std::any_of(settings_.staff_domains.begin(), settings_.staff_domains.end(),
                     [&](const std::string& d) { return Lower(d) == domain; }) ||
         std::any_of(settings_.staff_addresses.begin(), settings_.staff_addresses.end(),
                     [&](const std::string& s) { return Lower(s) == a; });
}

Result<RenderedMail> CaseMailer::Render(const std::string& name,
                                        const nlohmann::json& values) const {
  return templates_.Render(name, values);
}

nlohmann::json CaseMailer::CaseValues(const CaseRecord& c, const Contact& resident) const {
  const StageRecord* stage = c.CurrentStage();
  nlohmann::json v = {
      {"landlord", policy_.landlord},
      {"reference", c.reference},
      {"resident_name", resident.name.empty() ? "resident" : resident.name},
      {"stage_name", stage ? stage->name : ""},
      {"stage_number", c.stage},
      {"status", c.status},
      {"summary", c.summary},
      {"definition", c.definition},
      {"outcome_sought", c.outcome_sought},
      {"handler", stage && !stage->handler.empty() ? nlohmann::json(stage->handler) : nullptr},
      {"show_ombudsman", policy_.ombudsman.in_acknowledgement},
      {"ombudsman_name", policy_.ombudsman.name},
      {"ombudsman_phone", policy_.ombudsman.phone},
      {"ombudsman_email", policy_.ombudsman.email},
      {"ombudsman_website", policy_.ombudsman.website},
  };
  if (const Deadline* ack = c.OpenDeadline(deadline_kind::kAcknowledge)) {
    v["acknowledge_due_words"] = DayInWords(ack->due_at);
  }
  if (const Deadline* respond = c.OpenDeadline(deadline_kind::kRespond)) {
    v["response_due_words"] = DayInWords(respond->due_at);
    v["response_due"] = FormatLondonIso(respond->due_at);
  }
  if (c.stage >= 1 && static_cast<size_t>(c.stage) < policy_.stages.size()) {
    const StagePolicy& rules = policy_.stages[static_cast<size_t>(c.stage - 1)];
    v["next_stage_name"] = policy_.stages[static_cast<size_t>(c.stage)].name;
    if (rules.escalation_window_days) v["escalation_window_days"] = *rules.escalation_window_days;
  }
  if (policy_.pre_formal && policy_.pre_formal->escalate_within_days) {
    v["escalate_within_days"] = *policy_.pre_formal->escalate_within_days;
  }
  return v;
}

Result<std::optional<OutboxItem>> CaseMailer::Queue(StoreTransaction& txn, const Outgoing& mail,
                                                    std::string* why) {
  using R = Result<std::optional<OutboxItem>>;
  if (Status s = ValidateAddress(mail.to.address); !s) return R(s);
  if (IsOwnAddress(mail.to.address)) {
    if (why) *why = "not sent: " + mail.to.address + " is one of our own addresses";
    return std::optional<OutboxItem>();
  }
  const Instant now = clock_.Now();
  if (mail.automatic) {
    Result<int> recent = txn.CountAutomaticTo(mail.to.address, now - std::chrono::hours{24});
    if (!recent) return R(recent.status());
    if (*recent >= settings_.auto_reply_cap) {
      if (why) {
        *why = "not sent: " + std::to_string(*recent) + " automatic messages to " +
               mail.to.address + " in the last 24 hours (cap " +
               std::to_string(settings_.auto_reply_cap) + ")";
      }
      return std::optional<OutboxItem>();
    }
  }
  Result<RenderedMail> rendered = templates_.Render(mail.template_name, mail.values);
  if (!rendered) return R(rendered.status());
  MailDraft draft;
  draft.from = settings_.from;
  draft.to = {mail.to};
  draft.subject = rendered->subject;
  draft.text = rendered->text;
  draft.html = rendered->html;
  draft.message_id = mail.reference.empty()
                         ? "cd.notice." + mail.unique + "@" + settings_.message_id_domain
                         : signer_.Make(mail.reference, mail.unique);
  draft.in_reply_to = mail.in_reply_to;
  draft.references = mail.references;
  draft.automatic = mail.automatic;
  draft.date = now;
  draft.attachments = mail.attachments;
  Result<std::string> raw = ComposeMail(draft);
  if (!raw) return R(raw.status());
  OutboxItem item;
  item.case_id = mail.case_id;
  item.kind = mail.template_name;
  item.automatic = mail.automatic;
  item.envelope_from = settings_.from.address;
  item.recipients = {mail.to.address};
  item.message_id = draft.message_id;
  item.raw = *raw;
  item.next_attempt_at = now;
  if (Status s = txn.QueueOutgoing(item); !s) return R(s);
  return std::optional<OutboxItem>(item);
}

}  // namespace complaints
