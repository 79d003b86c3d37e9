#include "daemon/intake/triage.h"

#include <algorithm>
#include <cstdio>

namespace complaints {

void AddTriageFlags(const Classification& label, OpenRequest& request) {
  request.needs_review = true;
  request.flags.push_back(std::string(kTriageFlag));
  if (!label.alternative.empty()) {
    request.flags.push_back(std::string(kTriageAlternativeFlag) + label.alternative);
  }
}

const char* FirstReplyTemplate(const Classification& label, CaseType type) {
  return label.uncertain ? "receipt" : AcknowledgementTemplate(type);
}

std::string ClassifiedDetail(const Classification& label) {
  char confidence[16];
  std::snprintf(confidence, sizeof confidence, "%.2f", label.confidence);
  std::string cues;
  for (const std::string& cue : label.cues) cues += (cues.empty() ? "" : ", ") + cue;
  std::string detail = label.label + " (confidence " + confidence +
                       (label.needs_review ? ", needs review" : "") + ")";
  if (label.uncertain) {
    detail += "; uncertain" +
              (label.alternative.empty() ? std::string()
                                         : " between complaint and " + label.alternative) +
              ": a neutral receipt, and on the triage list for a person to settle";
  }
  return cues.empty() ? detail : detail + ": " + cues;
}

std::string OutcomeDetail(const Classification& label) {
  if (label.uncertain) return label.label + " (uncertain: triage)";
  return label.label + (label.needs_review ? " (needs review)" : "");
}

bool IsInTriage(const CaseRecord& c) { return c.HasFlag(kTriageFlag); }

std::string TriageAlternative(const CaseRecord& c) {
  for (const std::string& f : c.flags) {
    if (f.rfind(kTriageAlternativeFlag, 0) == 0) return f.substr(kTriageAlternativeFlag.size());
  }
  return "";
}

Result<CaseRecord> SettleLabel(CaseEngine& engine, CaseStore& store, CaseMailer& mailer,
                               const std::string& ref, CaseType to, const std::string& reason,
                               const std::string& actor) {
  Result<CaseRecord> before = store.FindCase(ref);
  if (!before) return before;
  if (!IsInTriage(*before)) return engine.Relabel(ref, to, reason, actor);
  Result<Contact> resident = store.GetContact(before->contact_id);
  if (!resident) return Result<CaseRecord>(resident.status());
  return engine.Relabel(
      ref, to, reason, actor,
      [&](StoreTransaction& txn, CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        const char* letter = AcknowledgementTemplate(c.type);
        if (resident->emails.empty()) {
          c.needs_review = true;
          if (!c.HasFlag("post-by-hand")) c.flags.push_back("post-by-hand");
          h.push_back({engine.Now(), "complaintsd", "acknowledgement_not_sent",
                       std::string("no email address: the ") + letter +
                           " letter must be sent by post by hand"});
          return Status::Ok();
        }
        CaseMailer::Outgoing mail;
        mail.template_name = letter;
        mail.to = {resident->name, resident->emails.front()};
        mail.values = mailer.CaseValues(c, *resident);
        mail.case_id = c.id;
        mail.reference = c.reference;
        mail.unique = "settled-" + c.reference + "-" + letter;
        std::string why;
        Result<std::optional<OutboxItem>> queued = mailer.Queue(txn, mail, &why);
        if (!queued) return queued.status();
        h.push_back({engine.Now(), "complaintsd",
                     queued.value() ? "mail_queued" : "mail_suppressed",
                     queued.value() ? std::string(letter) + " to the resident" : why});
        return Status::Ok();
      });
}

}  // namespace complaints
