// The case lifecycle: every change a case can undergo, with the policy's rules and deadlines.
//
// Each operation loads the case, checks that the change is allowed now, applies it, appends
// history and writes everything in one store transaction; an invalid change is refused with a
// message saying why and what to do instead, and changes nothing. Deadlines are computed in
// working days by BusinessHours; a deadline that moves is superseded by a new row, never edited.
// Not thread-safe (it uses one store connection); cheap to construct.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemon/calendar/business_hours.h"
#include "daemon/calendar/clock.h"
#include "daemon/cases/case_record.h"
#include "daemon/cases/case_store.h"
#include "daemon/cases/policy.h"
#include "parsers/result.h"

namespace complaints {

struct OpenRequest {
  CaseType type = CaseType::kComplaint;
  Channel channel = Channel::kEmail;
  std::optional<Instant> received_at;  // default: now
  Contact contact;                     // matched to an existing contact by email when id == 0
  std::optional<Contact> representative;
  std::string summary;
  bool pre_formal = false;  // start with the policy's quick fix / informal step
  int start_stage = 1;      // 2 for a direct-entry (complex) complaint where the policy allows it
  bool needs_review = false;
  std::vector<std::string> flags;
  // The text the service area is suggested from (the message's own words); the summary when empty.
  std::string area_text;
};

struct StageResponse {
  std::string outcome;  // upheld | partly_upheld | not_upheld
  bool apology = false;
  std::vector<FinancialRemedy> financial;
  std::vector<ActionRecord> actions;  // outstanding actions, tracked after the response
  std::string summary;
};

// The Housing Ombudsman's determinations, as `cases ombudsman --outcome` takes them.
const std::vector<std::string>& OmbudsmanOutcomes();

class CaseEngine {
 public:
  // `hours` must use the policy's division and close of business (plus the landlord's closures).
  CaseEngine(CaseStore& store, Policy policy, BusinessHours hours, const Clock& clock);

  const Policy& policy() const { return policy_; }
  const BusinessHours& hours() const { return hours_; }
  Instant Now() const { return clock_.Now(); }

  // Runs inside an operation's transaction, after the change and before it is written: the place
  // to queue the mail the change causes, or to record more history, all-or-nothing with it.
  using Hook =
      std::function<Status(StoreTransaction& txn, CaseRecord& c, std::vector<HistoryEntry>& h)>;

  Result<CaseRecord> Open(const OpenRequest& request, const std::string& actor,
                          const Hook& after = nullptr);
  // Records the acknowledgement (default: now); where the response clock starts at the
  // acknowledgement, the response deadline is recomputed from it.
  Result<CaseRecord> Acknowledge(const std::string& ref, const std::string& actor,
                                 std::optional<Instant> at = std::nullopt,
                                 const Hook& after = nullptr);
  // Records every stage acknowledgement that was sent but not recorded (the process died
  // between the two, or recording failed), at the time it was sent. Returns the references.
  Result<std::vector<std::string>> RecordSentAcknowledgements(const std::string& actor);
  Result<CaseRecord> Define(const std::string& ref, const std::string& definition,
                            const std::string& outcome_sought, const std::string& actor,
                            const Hook& after = nullptr);
  // A handler, or a panel (several members). At stage 2 and later nobody who handled an earlier
  // stage may handle this one.
  Result<CaseRecord> Assign(const std::string& ref, const std::vector<std::string>& handlers,
                            const std::string& actor, const Hook& after = nullptr);
  // Moves the response deadline by `working_days`, within the policy's cap for the stage.
  Result<CaseRecord> Extend(const std::string& ref, int working_days, const std::string& reason,
                            const std::string& actor, const Hook& after = nullptr);
  Result<CaseRecord> Respond(const std::string& ref, const StageResponse& response,
                             const std::string& actor, const Hook& after = nullptr);
  // The resident asks for the next stage (default: now). A request outside the policy's window is
  // recorded and flagged for a staff decision (status escalation_review) unless `accept_late`.
  Result<CaseRecord> Escalate(const std::string& ref, const std::string& actor,
                              std::optional<Instant> requested_at = std::nullopt,
                              bool accept_late = false, const Hook& after = nullptr);
  // Any other change made by `change` alone (e.g. recording an incoming message on the case).
  Result<CaseRecord> Amend(const std::string& ref, const Hook& change);
  // Ends the pre-formal step (quick fix / informal) or a comment, compliment, service request or
  // ASB report's simple flow.
  Result<CaseRecord> Resolve(const std::string& ref, const std::string& summary,
                             const std::string& actor, const Hook& after = nullptr);
  // Refuses the complaint with one of the policy's reasons (its code).
  Result<CaseRecord> Refuse(const std::string& ref, const std::string& reason_code,
                            const std::string& detail, const std::string& actor,
                            const Hook& after = nullptr);
  Result<CaseRecord> Close(const std::string& ref, const std::string& note,
                           const std::string& actor, const Hook& after = nullptr);
  Result<CaseRecord> Reopen(const std::string& ref, const std::string& reason,
                            const std::string& actor, const Hook& after = nullptr);
  Result<CaseRecord> Note(const std::string& ref, const std::string& text, const std::string& actor,
                          const Hook& after = nullptr);
  // A person corrects the classifier. Into a complaint: stage 1 opens with its clocks running
  // from when the message was received (the Code's start), which may already be overdue. Out of
  // a complaint (only before any stage response): the complaint's deadlines are superseded. The
  // review flag is cleared; the history keeps who, when, from what and why, and the case becomes
  // training data for the landlord's own model. A case on the triage list (flag "triage", see
  // intake/triage.h) leaves it, and may be relabelled as what it already is: a confirmation.
  Result<CaseRecord> Relabel(const std::string& ref, CaseType to, const std::string& reason,
                             const std::string& actor, const Hook& after = nullptr);
  Result<CaseRecord> CompleteAction(const std::string& ref, int64_t action_id,
                                    const std::string& actor, const Hook& after = nullptr);
  // The resident withdraws the complaint (or other case): its clocks stop (open deadlines are
  // superseded), the reason is kept, and it counts as received but not responded to.
  Result<CaseRecord> Withdraw(const std::string& ref, const std::string& reason,
                              const std::string& actor, const Hook& after = nullptr);

  // Staff confirm the suggested service area (parsers/service_area.h), or change it.
  Result<CaseRecord> SetServiceArea(const std::string& ref, const std::string& area,
                                    const std::string& actor, const Hook& after = nullptr);
  // A learning action on a complaint: what will change, who owns it, by when.
  Result<CaseRecord> AddLearning(const std::string& ref, const LearningAction& action,
                                 const std::string& actor, const Hook& after = nullptr);
  Result<CaseRecord> CompleteLearning(const std::string& ref, int64_t learning_id,
                                      const std::string& actor, const Hook& after = nullptr);
  // The resident took the complaint to the Housing Ombudsman (dated by SetActingAt: when the
  // landlord was told); a later call with `outcome` records the determination.
  Result<CaseRecord> RecordOmbudsman(const std::string& ref, const std::string& outcome,
                                     const std::string& actor, const Hook& after = nullptr);

  // Staff record an action when it happened (a call made yesterday, a letter posted last week):
  // the operations that follow are dated `at` (none: now) until it is set again, and their
  // history keeps both when it happened and when it was recorded. Refused in the future; each
  // operation also refuses a time before the case's latest event.
  Status SetActingAt(std::optional<Instant> at);

 private:
  using Change = std::function<Status(CaseRecord&, std::vector<HistoryEntry>&)>;
  Result<CaseRecord> Update(const std::string& ref, const Change& change,
                            const Hook& after = nullptr);
  HistoryEntry Entry(const std::string& actor, const std::string& action,
                     const std::string& detail) const;
  // When the operation in hand happened: SetActingAt's time, or now.
  Instant When() const { return acting_at_.value_or(clock_.Now()); }
  const StagePolicy* StageRules(int number) const;
  void OpenStage(CaseRecord& c, int number, Instant start) const;
  void AddDeadline(CaseRecord& c, std::string_view kind, Instant due) const;
  void MeetDeadline(CaseRecord& c, std::string_view kind, Instant at) const;
  void SupersedeOpenDeadlines(CaseRecord& c, Instant at) const;

  CaseStore& store_;
  Policy policy_;
  BusinessHours hours_;
  const Clock& clock_;
  std::optional<Instant> acting_at_;
};

}  // namespace complaints
