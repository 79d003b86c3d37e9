// The path every incoming message takes, after the mailbox and before the mailbox moves it:
// store the raw bytes once, parse, triage (automatic mail, our own mail, staff, replies to a case,
// escalation requests), classify, then open or update the case with the mail it causes queued in
// the same transaction.
//
// A message that cannot be handled is quarantined with its reason (and the admin told); it is
// never dropped. Processing the same message twice is harmless: the second time it is reported
// as a duplicate and nothing else happens. Not thread-safe (one store connection).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/calendar/clock.h"
#include "daemon/cases/case_engine.h"
#include "daemon/cases/case_store.h"
#include "daemon/intake/spam_check.h"
#include "daemon/letters/letter_reader.h"
#include "daemon/outgoing/case_mailer.h"
#include "daemon/outgoing/outgoing_mail.h"
#include "parsers/result.h"

namespace complaints {

// What intake needs to know about a message (from the MIME parser).
struct MailFacts {
  std::string message_id;  // without <>, "" when absent
  MailAddress from;
  std::optional<MailAddress> reply_to;
  std::string subject;
  std::string new_text;  // the sender's own words: quoted history and signature removed
  std::string in_reply_to;
  std::vector<std::string> references;
  bool automatic = false;
  std::string automatic_reason;
  std::string original_message_id;     // of a bounced or reported message
  std::vector<std::string> case_refs;  // references found in the subject and body
  size_t attachments = 0;
  std::vector<ScanFile> scans;  // PDF, TIFF, JPEG and PNG attachments (a posted letter?)
  std::optional<Instant> date;  // the Date header
};

class MailReader {
 public:
  virtual ~MailReader() = default;
  // An error value (never an exception) for mail that cannot be read: it goes to quarantine.
  virtual Result<MailFacts> Read(std::string_view raw) const = 0;
};

struct Classification {
  std::string label;  // complaint | comment | compliment | service_request | asb | other
  double confidence = 0;
  bool needs_review = false;
  std::vector<std::string> cues;
  // Unsure between complaint and `alternative`: the case opens as a complaint (its clocks run
  // from receipt), the sender gets a neutral receipt, and a person settles the label (triage).
  bool uncertain = false;
  std::string alternative;
};

class MessageClassifier {
 public:
  virtual ~MessageClassifier() = default;
  virtual Classification Classify(const std::string& subject, const std::string& text) const = 0;
};

struct IntakeOutcome {
  enum class Kind {
    kOpened,       // a new case
    kAddedToCase,  // a reply recorded on its case
    kEscalation,   // a reply asking for the next stage
    kAutomatic,    // automatic mail recorded, nothing sent
    kIgnored,      // our own mail, or nothing to act on (recorded for review)
    kDuplicate,    // already handled
    kQuarantined,  // could not be handled: see reason
    kSpam,         // suspected spam or phishing: no case, nothing sent; see reason
  };
  Kind kind = Kind::kIgnored;
  int64_t message_row = 0;
  std::string reference;
  std::string detail;  // label, reason, ...: one line for the log (no personal data)
};

std::string_view OutcomeName(IntakeOutcome::Kind kind);

// The letter path: staff forward residents' posted letters, scanned.
struct LetterIntakeSettings {
  std::string reference_pattern;            // the policy's case references
  std::vector<std::string> return_address;  // our postal address, printed on letters we post
};

class Intake {
 public:
  Intake(CaseStore& store, CaseEngine& engine, CaseMailer& mailer, const MailReader& reader,
         const MessageClassifier& classifier, const Clock& clock);

  // Without this, mail from staff is quarantined for a person to log by hand.
  void EnableLetters(const LetterReader& reader, LetterIntakeSettings settings);
  // Without this, nothing is judged spam. `filter` must outlive the intake.
  void EnableSpamFilter(const SpamFilter& filter);

  // Precondition: message.sha256 is the hash of message.raw.
  Result<IntakeOutcome> Process(const IncomingMessage& message);

  // Staff release a message held as suspected spam: it is handled as new mail, with no spam
  // check. Refused for a message in any other state.
  Result<IntakeOutcome> Release(int64_t message_row, const std::string& actor);

 private:
  // `also_tell`: someone besides the admin who should hear (the staff member who forwarded it).
  Result<IntakeOutcome> Quarantine(int64_t row, const std::string& reason, const MailFacts* facts,
                                   const std::string& also_tell = "");
  Result<IntakeOutcome> Letter(int64_t row, const MailFacts& facts, Instant arrived);
  Result<IntakeOutcome> Handle(const IncomingMessage& message, bool spam_check);
  // The spam verdict, when it should stop this message: never for a known resident.
  std::optional<SpamVerdict> SuspectedSpam(const IncomingMessage& message, const MailFacts& facts);
  // Whether the sender is among the case's contact's addresses.
  bool IsCasesContact(const std::string& reference, const MailFacts& facts) const;
  // A resident's message relayed by a web form from a no-reply address, Reply-To the resident.
  bool IsRelayed(const MailFacts& facts) const;
  // Mail from staff on a case's thread with no scan: kept on the case as a note; nothing sent.
  Result<IntakeOutcome> StaffNote(int64_t row, const std::string& reference,
                                  const MailFacts& facts);
  // The same mail again with other bytes (same Message-ID): kept on the first copy's case.
  Result<IntakeOutcome> SecondCopy(int64_t row, const EarlierCopy& first, const MailFacts& facts);
  // `reason` is stored; the outcome (which reaches the log) carries `detail` when given, so
  // that a reason naming the sender stays out of the log.
  Result<IntakeOutcome> Record(int64_t row, IntakeOutcome::Kind kind, const std::string& state,
                               const std::string& reason, const std::string& detail = "");
  std::optional<std::string> ThreadedCase(const MailFacts& facts) const;
  Result<IntakeOutcome> Reply(int64_t row, const std::string& reference, const MailFacts& facts,
                              Instant received);
  Result<IntakeOutcome> OpenCase(int64_t row, const MailFacts& facts, Instant received,
                                 const std::vector<std::string>& flags);
  // The complaints manager hears of mail added to an open case (when mail.manager is set).
  Status TellManager(StoreTransaction& txn, const CaseRecord& c, const Contact& resident,
                     const std::string& unique);
  Status PassOnPraise(StoreTransaction& txn, const CaseRecord& c, const Contact& resident,
                      const std::string& words, int64_t row, std::vector<HistoryEntry>& h);
  CaseMailer::Outgoing ToResident(const CaseRecord& c, const Contact& resident,
                                  const std::string& template_name, const MailFacts& facts,
                                  int64_t row) const;

  CaseStore& store_;
  CaseEngine& engine_;
  CaseMailer& mailer_;
  const MailReader& reader_;
  const MessageClassifier& classifier_;
  const Clock& clock_;
  const LetterReader* letters_ = nullptr;
  const SpamFilter* spam_ = nullptr;
  LetterIntakeSettings letter_settings_;
};

// The template of the first reply to a new case of this type ("ack-stage", "comment-thanks", ...).
const char* AcknowledgementTemplate(CaseType type);

// Text from a message made one line for a list or a reason: controls become spaces, runs of
// spaces one, and past `max` bytes it ends at a whole UTF-8 character with "...".
std::string OneLine(std::string text, size_t max);

// The resident asking for the next stage, in their own words ("not satisfied", "stage 2", ...).
bool AsksToEscalate(std::string_view text);

}  // namespace complaints
