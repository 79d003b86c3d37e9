#include "daemon/intake/intake.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "daemon/base/digest.h"
#include "daemon/intake/triage.h"

namespace complaints {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Summary(const MailFacts& facts) {
  if (!facts.subject.empty()) return facts.subject;
  std::string text = facts.new_text.substr(0, 200);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text.empty() ? "(no subject or text)" : text;
}

std::vector<std::string> Threading(const MailFacts& facts) {
  std::vector<std::string> refs = facts.references;
  if (!facts.message_id.empty()) refs.push_back(facts.message_id);
  return refs;
}

// Whether `address` is one of the contact's email addresses.
bool IsAddressOf(const Contact& contact, const std::string& address) {
  return std::any_of(contact.emails.begin(), contact.emails.end(),
                     [&](const std::string& e) { return Lower(e) == Lower(address); });
}

}  // namespace

std::string OneLine(std::string text, size_t max) {
  std::string out;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';  // newlines and other controls
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  if (out.size() > max) {
    out.resize(max);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty()) out.pop_back();
    out += "...";
  }
  return out;
}

const char* AcknowledgementTemplate(CaseType type) {
  switch (type) {
    case CaseType::kComplaint:
      return "ack-stage";
    case CaseType::kComment:
      return "comment-thanks";
    case CaseType::kCompliment:
      return "compliment-thanks";
    case CaseType::kServiceRequest:
      return "service-request";
    case CaseType::kAsb:
      return "asb-redirect";
  }
  return "ack-stage";
}

std::string_view OutcomeName(IntakeOutcome::Kind kind) {
  switch (kind) {
    case IntakeOutcome::Kind::kOpened:
      return "opened";
    case IntakeOutcome::Kind::kAddedToCase:
      return "added-to-case";
    case IntakeOutcome::Kind::kEscalation:
      return "escalation";
    case IntakeOutcome::Kind::kAutomatic:
      return "automatic";
    case IntakeOutcome::Kind::kIgnored:
      return "ignored";
    case IntakeOutcome::Kind::kDuplicate:
      return "duplicate";
    case IntakeOutcome::Kind::kSpam:
      return "spam";
    case IntakeOutcome::Kind::kQuarantined:
      return "quarantined";
  }
  return "unknown";
}

bool AsksToEscalate(std::string_view text) {
  static const std::array<const char*, 14> kPhrases = {"not satisfied",
                                                       "unsatisfied with your response",
                                                       "dissatisfied with your response",
                                                       "not happy with your response",
                                                       "unhappy with your response",
                                                       "stage 2",
                                                       "stage two",
                                                       "next stage",
                                                       "escalate",
                                                       "escalation",
                                                       "review panel",
                                                       "final stage",
                                                       "take this further",
                                                       "appeal"};
  const std::string lower = Lower(text);
  return std::any_of(kPhrases.begin(), kPhrases.end(),
                     [&](const char* p) { return lower.find(p) != std::string::npos; });
}

Intake::Intake(CaseStore& store, CaseEngine& engine, CaseMailer& mailer, const MailReader& reader,
               const MessageClassifier& classifier, const Clock& clock)
    : store_(store),
      engine_(engine),
      mailer_(mailer),
      reader_(reader),
      classifier_(classifier),
      clock_(clock) {}

void Intake::EnableLetters(const LetterReader& reader, LetterIntakeSettings settings) {
  letters_ = &reader;
  letter_settings_ = std::move(settings);
}

void Intake::EnableSpamFilter(const SpamFilter& filter) { spam_ = &filter; }

Result<IntakeOutcome> Intake::Process(const IncomingMessage& message) {
  return Handle(message, true);
}

Result<IntakeOutcome> Intake::Release(int64_t message_row, const std::string& actor) {
  using R = Result<IntakeOutcome>;
  Result<std::optional<MessageListing>> listing = store_.DescribeMessage(message_row);
  if (!listing) return R(listing.status());
  if (!*listing) return R::Error("there is no message " + std::to_string(message_row));
  if ((*listing)->state != "spam") {
    return R::Error("message " + std::to_string(message_row) + " is " + (*listing)->state +
                    ", not held as suspected spam: nothing to release");
  }
  Result<std::string> raw = store_.MessageRaw(message_row);
  if (!raw) return R(raw.status());
  // Back to "stored", so that intake takes it up again as new mail (the same bytes are found
  // as the stored row, not as a duplicate already handled).
  Status reset = store_.InTransaction([&](StoreTransaction& txn) {
    return txn.SetMessageState(message_row, "stored",
                               "released from suspected spam by " + OneLine(actor, 100),
                               std::nullopt);
  });
  if (!reset) return R(reset);
  IncomingMessage again;
  again.raw = std::move(raw).value();
  again.sha256 = Sha256Hex(again.raw);
  again.received_at = (*listing)->received_at;
  return Handle(again, false);
}

Result<IntakeOutcome> Intake::Handle(const IncomingMessage& message, bool spam_check) {
  if (message.received_at == Instant{}) {
    // No arrival time from the mailbox (an INTERNALDATE that would not parse): now, rather than
    // 1970, when every deadline would already be breached. Rare, so the copy does not matter.
    IncomingMessage dated = message;
    dated.received_at = clock_.Now();
    return Handle(dated, spam_check);
  }
  StoredMessage stored;
  Status saved = store_.InTransaction([&](StoreTransaction& txn) -> Status {
    Result<StoredMessage> s = txn.StoreIncoming(message);
    if (!s) return s.status();
    stored = *s;
    return Status::Ok();
  });
  if (!saved) return Result<IntakeOutcome>(saved);
  if (stored.duplicate && stored.state != "stored") {
    // Handled before (a restart between the commit and the move): moved where its state says,
    // so a quarantined message goes to the quarantine folder still; nobody is told twice.
    const auto kind = stored.state == "quarantined" ? IntakeOutcome::Kind::kQuarantined
                      : stored.state == "spam"      ? IntakeOutcome::Kind::kSpam
                                                    : IntakeOutcome::Kind::kDuplicate;
    return IntakeOutcome{kind, stored.id, "", "already " + stored.state};
  }
  Result<MailFacts> read = reader_.Read(message.raw);
  if (!read) return Quarantine(stored.id, "cannot be read: " + read.error(), nullptr);
  MailFacts facts = std::move(read).value();
  // A web form or portal that relays a resident's message from a no-reply address with the
  // resident in Reply-To: the resident wrote it, so it is handled as their mail (a no-reply
  // sender alone is the weakest sign of automatic mail; lists and Auto-Submitted are not relays).
  std::vector<std::string> flags;
  if (!spam_check) flags.push_back("released-from-spam");
  if (IsRelayed(facts)) {
    flags.push_back("relayed-by:" + Lower(facts.from.address));
    facts.from = *facts.reply_to;
    facts.automatic = false;
  }
  if (!facts.message_id.empty()) {
    std::optional<EarlierCopy> first;
    Status claimed = store_.InTransaction([&](StoreTransaction& txn) -> Status {
      Result<std::optional<EarlierCopy>> f = txn.ClaimMessageId(stored.id, facts.message_id);
      if (!f) return f.status();
      first = *f;
      return Status::Ok();
    });
    if (!claimed) return Result<IntakeOutcome>(claimed);
    // Delivered twice (two aliases, a resend by a server): one case, one acknowledgement. A
    // first copy that opened no case, or whose case is someone else's (a Message-ID reused by a
    // careless program), leaves this one to be handled like any other.
    if (first && first->case_reference && IsCasesContact(*first->case_reference, facts)) {
      return SecondCopy(stored.id, *first, facts);
    }
  }
  if (mailer_.IsOwnAddress(facts.from.address)) {
    return Record(stored.id, IntakeOutcome::Kind::kIgnored, "ignored", "from our own address");
  }
  if (facts.automatic) {
    if (auto ref = mailer_.signer().ReferenceOf(facts.original_message_id)) {
      Result<CaseRecord> c = engine_.Amend(
          *ref, [&](StoreTransaction& txn, CaseRecord& cr, std::vector<HistoryEntry>& h) {
            cr.needs_review = true;
            if (!cr.HasFlag("delivery-failed")) cr.flags.push_back("delivery-failed");
            h.push_back({clock_.Now(), "complaintsd", "delivery_report",
                         "a message to the resident was reported: " + facts.automatic_reason});
            return txn.SetMessageState(stored.id, "automatic", facts.automatic_reason, cr.id);
          });
      if (c) {
        return IntakeOutcome{IntakeOutcome::Kind::kAutomatic, stored.id, c->reference,
                             "delivery report"};
      }
    }
    return Record(stored.id, IntakeOutcome::Kind::kAutomatic, "automatic", facts.automatic_reason);
  }
  // Mail on one of our threads answers mail we sent; anything else may be spam or phishing (a
  // lure can carry a staff member's name or a resident's words), which opens no case and gets
  // no reply: it waits in the spam folder for a person, who can release it.
  const std::optional<std::string> threaded = ThreadedCase(facts);
  if (spam_check && !threaded) {
    if (std::optional<SpamVerdict> spam = SuspectedSpam(message, facts)) {
      if (spam->suspected) {
        std::string why;
        for (const std::string& r : spam->reasons) why += (why.empty() ? "" : "; ") + r;
        return Record(stored.id, IntakeOutcome::Kind::kSpam, "spam",
                      "suspected spam from " + OneLine(facts.from.address, 200) + ", \"" +
                          OneLine(facts.subject, 120) + "\": " + OneLine(why, 600),
                      "suspected spam: " + OneLine(why, 300));
      }
      flags.push_back("spam-evidence");  // a known resident's mail the filter disliked
    }
  }
  // Staff first: a scan forwarded on an old case's thread is a new letter, and a member of staff
  // replying on a thread is not the resident (no escalation, nothing sent back to them).
  if (mailer_.IsStaffAddress(facts.from.address)) {
    if (letters_ && !facts.scans.empty()) return Letter(stored.id, facts, message.received_at);
    if (threaded) return StaffNote(stored.id, *threaded, facts);
    return Quarantine(stored.id,
                      "mail from staff (" + facts.from.address +
                          ") with no scanned letter attached (PDF, TIFF, JPEG or PNG): log a "
                          "resident's complaint by hand with 'complaintsctl cases open'",
                      &facts);
  }
  if (threaded) return Reply(stored.id, *threaded, facts, message.received_at);
  for (const std::string& ref : facts.case_refs) flags.push_back("mentions-reference:" + ref);
  return OpenCase(stored.id, facts, message.received_at, flags);
}

std::optional<SpamVerdict> Intake::SuspectedSpam(const IncomingMessage& message,
                                                 const MailFacts& facts) {
  if (spam_ == nullptr) return std::nullopt;
  SpamInput in;
  in.raw = message.raw;
  in.from_address = Lower(facts.from.address);
  in.from_name = facts.from.name;
  in.reply_to = facts.reply_to ? Lower(facts.reply_to->address) : "";
  in.subject = facts.subject;
  in.text = facts.new_text;
  SpamVerdict verdict = spam_->Check(in);
  if (!verdict.suspected) return std::nullopt;
  // Never a resident's mail: someone we already have a case for is a resident, whatever their
  // provider's filter said (their own mail may fail SPF through a forwarder). A person sees the
  // evidence on the case instead.
  bool known = false;
  store_.InTransaction([&](StoreTransaction& txn) -> Status {
    Result<std::optional<int64_t>> contact = txn.FindContactByEmail(in.from_address);
    known = contact && contact->has_value();
    return Status::Ok();
  });
  if (known) verdict.suspected = false;
  return verdict;
}

bool Intake::IsCasesContact(const std::string& reference, const MailFacts& facts) const {
  Result<CaseRecord> c = store_.FindCase(reference);
  if (!c) return false;
  Result<Contact> contact = store_.GetContact(c->contact_id);
  return contact && IsAddressOf(*contact, facts.from.address);
}

bool Intake::IsRelayed(const MailFacts& facts) const {
  // parsers/automatic_mail's reasons for a no-reply sender (mailer-daemon and postmaster excluded).
  static const std::set<std::string> kNoReply = {"sent by noreply", "sent by no-reply",
                                                 "sent by donotreply", "sent by do-not-reply"};
  static const std::set<std::string> kMachines = {"noreply",      "no-reply",      "donotreply",
                                                  "do-not-reply", "mailer-daemon", "postmaster"};
  if (!facts.automatic || kNoReply.count(facts.automatic_reason) == 0 ||
      !facts.original_message_id.empty() || !facts.reply_to) {
    return false;
  }
  const std::string to = Lower(facts.reply_to->address);
  // The Reply-To must be a person outside the landlord: not another machine, not staff, not us.
  return ValidateAddress(to) && to != Lower(facts.from.address) &&
         kMachines.count(to.substr(0, to.find('@'))) == 0 && !mailer_.IsOwnAddress(to) &&
         !mailer_.IsStaffAddress(to) && !mailer_.IsOwnAddress(facts.from.address);
}

Result<IntakeOutcome> Intake::StaffNote(int64_t row, const std::string& reference,
                                        const MailFacts& facts) {
  Result<CaseRecord> c = engine_.Amend(
      reference,
      [&](StoreTransaction& txn, CaseRecord& cr, std::vector<HistoryEntry>& h) -> Status {
        h.push_back({clock_.Now(), OneLine(facts.from.address, 200), "staff_mail",
                     "on the case's thread: " + Summary(facts)});
        cr.needs_review = true;  // in the daily digest: a person reads what a colleague wrote
        if (!cr.HasFlag("staff-mail")) cr.flags.push_back("staff-mail");
        return txn.SetMessageState(row, "processed", "staff mail on the case's thread", cr.id);
      });
  if (!c) return Quarantine(row, "could not record staff mail: " + c.error(), &facts);
  return IntakeOutcome{IntakeOutcome::Kind::kAddedToCase, row, reference, "staff mail"};
}

Result<IntakeOutcome> Intake::SecondCopy(int64_t row, const EarlierCopy& first,
                                         const MailFacts& facts) {
  const std::string reason = "a second copy of message " + std::to_string(first.id) +
                             " (the same Message-ID, other bytes): nothing sent again";
  Result<CaseRecord> c = engine_.Amend(
      *first.case_reference,
      [&](StoreTransaction& txn, CaseRecord& cr, std::vector<HistoryEntry>& h) -> Status {
        // The bytes differ, so a person checks that it says nothing the first copy did not.
        cr.needs_review = true;
        h.push_back({clock_.Now(), "complaintsd", "second_copy",
                     "message " + std::to_string(row) + " arrived with the Message-ID of message " +
                         std::to_string(first.id) +
                         " but other bytes; kept, nothing sent: check it says nothing new"});
        return txn.SetMessageState(row, "copy", reason, cr.id);
      });
  if (!c) {
    return Quarantine(row,
                      "a second copy of message " + std::to_string(first.id) +
                          ", whose case could not be updated: " + c.error(),
                      &facts);
  }
  return IntakeOutcome{IntakeOutcome::Kind::kDuplicate, row, c->reference, reason};
}

Result<IntakeOutcome> Intake::Record(int64_t row, IntakeOutcome::Kind kind,
                                     const std::string& state, const std::string& reason,
                                     const std::string& detail) {
  Status s = store_.InTransaction(
      [&](StoreTransaction& txn) { return txn.SetMessageState(row, state, reason, std::nullopt); });
  if (!s) return Result<IntakeOutcome>(s);
  return IntakeOutcome{kind, row, "", detail.empty() ? reason : detail};
}

Result<IntakeOutcome> Intake::Quarantine(int64_t row, const std::string& reason,
                                         const MailFacts* facts, const std::string& also_tell) {
  Status s = store_.InTransaction([&](StoreTransaction& txn) -> Status {
    if (Status st = txn.SetMessageState(row, "quarantined", reason, std::nullopt); !st) return st;
    std::vector<std::string> tell;
    if (!mailer_.settings().admin_address.empty()) tell.push_back(mailer_.settings().admin_address);
    if (!also_tell.empty() && Lower(also_tell) != Lower(mailer_.settings().admin_address)) {
      tell.push_back(also_tell);
    }
    for (size_t i = 0; i < tell.size(); ++i) {
      CaseMailer::Outgoing notice;
      notice.template_name = "quarantine-notice";
      notice.to = {"", tell[i]};
      notice.values = {{"message_id", std::to_string(row)},
                       {"reason", reason},
                       {"sender", facts ? facts->from.address : "(unreadable)"},
                       {"subject", facts ? facts->subject : "(unreadable)"}};
      notice.automatic = false;  // a notice to staff, not a reply: the cap does not apply
      notice.unique = "quarantine-" + std::to_string(row) + (i == 0 ? "" : "-" + std::to_string(i));
      Result<std::optional<OutboxItem>> queued = mailer_.Queue(txn, notice, nullptr);
      if (!queued) return queued.status();
    }
    return Status::Ok();
  });
  if (!s) return Result<IntakeOutcome>(s);
  return IntakeOutcome{IntakeOutcome::Kind::kQuarantined, row, "", reason};
}

std::optional<std::string> Intake::ThreadedCase(const MailFacts& facts) const {
  if (auto ref = mailer_.signer().ReferenceOf(facts.in_reply_to)) return ref;
  for (const std::string& id : facts.references) {
    if (auto ref = mailer_.signer().ReferenceOf(id)) return ref;
  }
  // A reference in the subject or body counts only when the sender is the case's contact.
  for (const std::string& ref : facts.case_refs) {
    if (IsCasesContact(ref, facts)) return ref;
  }
  return std::nullopt;
}

Status Intake::TellManager(StoreTransaction& txn, const CaseRecord& c, const Contact& resident,
                           const std::string& unique) {
  if (mailer_.settings().manager_address.empty()) return Status::Ok();
  CaseMailer::Outgoing notice;
  notice.template_name = "reply-received-staff";
  notice.to = {"", mailer_.settings().manager_address};
  notice.values = mailer_.CaseValues(c, resident);
  notice.automatic = false;
  notice.case_id = c.id;
  notice.unique = unique;
  Result<std::optional<OutboxItem>> queued = mailer_.Queue(txn, notice, nullptr);
  return queued ? Status::Ok() : queued.status();
}

Status Intake::PassOnPraise(StoreTransaction& txn, const CaseRecord& c, const Contact& resident,
                            const std::string& words, int64_t row, std::vector<HistoryEntry>& h) {
  // Praise is passed on: to each member of staff or team the resident names (the staff
  // directory), else to the team's inbox to forward to whoever is meant.
  std::vector<std::pair<std::string, std::string>> to =
      mailer_.settings().staff_directory.Named(words);
  if (to.empty() && !mailer_.settings().compliments_address.empty()) {
    to.push_back({"", mailer_.settings().compliments_address});
  }
  for (size_t i = 0; i < to.size(); ++i) {
    CaseMailer::Outgoing copy;
    copy.template_name = "compliment-staff-copy";
    copy.to = {"", to[i].second};
    copy.values = mailer_.CaseValues(c, resident);
    copy.values["summary"] = words.substr(words.find('\n') + 1, 4000);
    copy.values["praised"] = to[i].first;
    copy.automatic = false;
    copy.case_id = c.id;
    copy.reference = c.reference;
    copy.unique = std::to_string(row) + "-compliment-copy" + (i ? "-" + std::to_string(i) : "");
    Result<std::optional<OutboxItem>> sent = mailer_.Queue(txn, copy, nullptr);
    if (!sent) return sent.status();
    h.push_back({clock_.Now(), "complaintsd", "praise_passed_on",
                 to[i].first.empty() ? "a copy to " + to[i].second
                                     : "a copy to " + to[i].first + " (" + to[i].second + ")"});
  }
  return Status::Ok();
}

CaseMailer::Outgoing Intake::ToResident(const CaseRecord& c, const Contact& resident,
                                        const std::string& template_name, const MailFacts& facts,
                                        int64_t row) const {
  CaseMailer::Outgoing mail;
  mail.template_name = template_name;
  mail.to =
      facts.reply_to && ValidateAddress(facts.reply_to->address) ? *facts.reply_to : facts.from;
  if (mail.to.name.empty()) mail.to.name = resident.name;
  mail.values = mailer_.CaseValues(c, resident);
  mail.in_reply_to = facts.message_id;
  mail.references = Threading(facts);
  mail.case_id = c.id;
  mail.reference = c.reference;
  mail.unique = std::to_string(row) + "-" + template_name;
  return mail;
}

Result<IntakeOutcome> Intake::OpenCase(int64_t row, const MailFacts& facts, Instant received,
                                       const std::vector<std::string>& flags) {
  const Classification label = classifier_.Classify(facts.subject, facts.new_text);
  if (label.label == "other") {
    // No case, so the reason is what staff see in the daily digest: who, and about what.
    return Record(row, IntakeOutcome::Kind::kIgnored, "review",
                  "classified other, no case opened: from " + OneLine(facts.from.address, 200) +
                      ", \"" + OneLine(Summary(facts), 120) + "\"",
                  "classified other, no case opened: in the daily digest");
  }
  Result<CaseType> type = ParseCaseType(label.label);
  if (!type) return Quarantine(row, "the classifier said '" + label.label + "'", &facts);
  OpenRequest request;
  request.type = *type;
  request.channel = Channel::kEmail;
  request.received_at = received;
  request.contact.name = facts.from.name;
  request.contact.emails = {facts.from.address};
  request.summary = Summary(facts);
  request.area_text = facts.subject + "\n" + facts.new_text;
  // A relayed message is answered to its Reply-To: a person checks it is the resident.
  request.needs_review =
      label.needs_review || std::any_of(flags.begin(), flags.end(), [](const std::string& f) {
        return f.rfind("relayed-by:", 0) == 0;
      });
  request.flags = flags;
  if (label.uncertain) AddTriageFlags(label, request);
  const char* first_reply = FirstReplyTemplate(label, request.type);
  Result<CaseRecord> opened = engine_.Open(
      request, "complaintsd",
      [&](StoreTransaction& txn, CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        h.push_back({clock_.Now(), "complaintsd", "classified", ClassifiedDetail(label)});
        Contact resident = request.contact;
        std::string why;
        Result<std::optional<OutboxItem>> queued =
            mailer_.Queue(txn, ToResident(c, resident, first_reply, facts, row), &why);
        if (!queued) return queued.status();
        h.push_back({clock_.Now(), "complaintsd",
                     queued.value() ? "mail_queued" : "mail_suppressed",
                     queued.value() ? std::string(first_reply) + " to the resident" : why});
        if (c.type == CaseType::kCompliment) {
          if (Status s =
                  PassOnPraise(txn, c, resident, facts.subject + "\n" + facts.new_text, row, h);
              !s) {
            return s;
          }
        }
        return txn.SetMessageState(row, "processed", label.label, c.id);
      });
  if (!opened) return Quarantine(row, "could not open a case: " + opened.error(), &facts);
  return IntakeOutcome{IntakeOutcome::Kind::kOpened, row, opened->reference, OutcomeDetail(label)};
}

Result<IntakeOutcome> Intake::Reply(int64_t row, const std::string& reference,
                                    const MailFacts& facts, Instant received) {
  Result<CaseRecord> current = store_.FindCase(reference);
  if (!current) return Quarantine(row, "a reply to unknown case " + reference, &facts);
  Result<Contact> resident = store_.GetContact(current->contact_id);
  if (!resident) return Quarantine(row, resident.error(), &facts);
  // Our signed Message-ID proves the thread, not the sender: mail we sent may have been
  // forwarded. Only the case's own contact escalates; anyone else's words are recorded for staff.
  const bool from_contact = IsAddressOf(*resident, facts.from.address);
  const bool can_escalate = from_contact && current->type == CaseType::kComplaint &&
                            (current->status == case_status::kResponded ||
                             (current->stage == 0 && current->status == case_status::kResolved));
  if (can_escalate && AsksToEscalate(facts.subject + "\n" + facts.new_text)) {
    Result<CaseRecord> escalated = engine_.Escalate(
        reference, "resident", received, false,
        [&](StoreTransaction& txn, CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
          if (c.status == case_status::kOpen) {  // not a late request waiting for staff
            std::string why;
            Result<std::optional<OutboxItem>> queued =
                mailer_.Queue(txn, ToResident(c, *resident, "ack-stage", facts, row), &why);
            if (!queued) return queued.status();
            h.push_back({clock_.Now(), "complaintsd",
                         queued.value() ? "mail_queued" : "mail_suppressed",
                         queued.value() ? "ack-stage to the resident" : why});
          }
          return txn.SetMessageState(row, "processed", "escalation request", c.id);
        });
    if (!escalated) return Quarantine(row, "escalation failed: " + escalated.error(), &facts);
    return IntakeOutcome{IntakeOutcome::Kind::kEscalation, row, reference, escalated->status};
  }
  Result<CaseRecord> updated = engine_.Amend(
      reference, [&](StoreTransaction& txn, CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        h.push_back({clock_.Now(), "complaintsd", "message_received",
                     (from_contact ? "from the resident: "
                                   : "from " + OneLine(facts.from.address, 200) +
                                         ", not the case's contact: ") +
                         Summary(facts)});
        if (!from_contact) {
          c.needs_review = true;
          if (!c.HasFlag("reply-from-another-address")) {
            c.flags.push_back("reply-from-another-address");
          }
        }
        if (c.status == case_status::kClosed || c.status == case_status::kRefused ||
            c.status == case_status::kWithdrawn) {
          c.needs_review = true;
          if (!c.HasFlag("reply-after-close")) c.flags.push_back("reply-after-close");
        }
        if (Status s = TellManager(txn, c, *resident, "reply-" + std::to_string(row)); !s) return s;
        return txn.SetMessageState(row, "processed", "reply", c.id);
      });
  if (!updated) return Quarantine(row, "could not record the reply: " + updated.error(), &facts);
  return IntakeOutcome{IntakeOutcome::Kind::kAddedToCase, row, reference, "reply"};
}

}  // namespace complaints
