// The case record the Housing Ombudsman expects: who complained and how, what it is, each stage
// with its acknowledgement, definition, handler, extensions, response and escalation, every
// deadline (never overwritten: a moved deadline supersedes the old one), outstanding actions, and
// an append-only history. Plain values; the store persists them and the engine changes them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/result.h"

namespace complaints {

using Instant = std::chrono::sys_seconds;

enum class CaseType { kComplaint, kComment, kCompliment, kServiceRequest, kAsb };
enum class Channel { kEmail, kLetter, kPhone, kVisit, kWeb };

std::string_view CaseTypeName(CaseType type);  // "complaint", "service_request", ...
Result<CaseType> ParseCaseType(std::string_view name);
std::string_view ChannelName(Channel channel);
Result<Channel> ParseChannel(std::string_view name);

// Where a case is in its process.
namespace case_status {
inline constexpr std::string_view kOpen = "open";             // a stage is running
inline constexpr std::string_view kPreFormal = "pre_formal";  // quick fix / informal step running
inline constexpr std::string_view kResolved = "resolved";     // pre-formal step or simple flow done
inline constexpr std::string_view kResponded = "responded";   // stage response sent
inline constexpr std::string_view kEscalationReview = "escalation_review";  // late request
inline constexpr std::string_view kRefused = "refused";
inline constexpr std::string_view kClosed = "closed";
inline constexpr std::string_view kWithdrawn = "withdrawn";  // the resident withdrew it
}  // namespace case_status

// The triage list (intake/triage.h): a case whose label a person settles first carries this flag,
// and the label the classifier offered beside complaint after the second ("triage-alternative:
// comment"). Relabelling takes both off.
inline constexpr std::string_view kTriageFlag = "triage";
inline constexpr std::string_view kTriageAlternativeFlag = "triage-alternative:";

// Deadline kinds.
namespace deadline_kind {
inline constexpr std::string_view kAcknowledge = "acknowledge";
inline constexpr std::string_view kRespond = "respond";
inline constexpr std::string_view kEscalationWindow = "escalation_window";
inline constexpr std::string_view kPreFormalResolve = "pre_formal_resolve";
inline constexpr std::string_view kPreFormalWindow = "pre_formal_window";
}  // namespace deadline_kind

struct Contact {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> emails;
  std::string phone;
  std::string address;
  std::string tenancy_ref;
  std::string vulnerabilities;  // and the reasonable adjustments they need
  std::string adjustments;
  std::string restrictions;  // contact restrictions (unreasonable behaviour policy)
  bool representative = false;
};

struct Deadline {
  int64_t id = 0;
  int stage = 0;
  std::string kind;
  Instant due_at{};
  std::optional<Instant> met_at;
  std::optional<Instant> superseded_at;  // replaced by a later row (extension, late ack, ...)

  bool open() const { return !met_at && !superseded_at; }
};

struct FinancialRemedy {
  long amount_pence = 0;
  std::string what_for;
};

struct ActionRecord {
  int64_t id = 0;
  int stage = 0;
  std::string description;
  std::optional<std::chrono::sys_days> due_on;
  std::optional<Instant> done_at;
};

// What the landlord will change because of a complaint (the Code's learning from complaints):
// listed in the annual and monthly reports.
struct LearningAction {
  int64_t id = 0;
  std::string what;
  std::string owner;
  std::optional<std::chrono::sys_days> due_on;
  std::optional<Instant> done_at;
  Instant added_at{};
};

struct StageRecord {
  int64_t id = 0;
  int number = 0;  // 0: the pre-formal step or a simple flow; 1, 2, ...: formal stages
  std::string name;
  Instant opened_at{};
  std::optional<Instant> acknowledged_at;
  std::optional<Instant> defined_at;
  std::string handler;
  std::vector<std::string> panel;  // panel members, when the stage is decided by a panel
  int extension_days = 0;          // working days granted so far
  std::optional<Instant> responded_at;
  std::string outcome;  // upheld | partly_upheld | not_upheld | resolved
  bool apology = false;
  std::vector<FinancialRemedy> financial;
  std::optional<Instant> escalation_requested_at;
  bool escalation_late = false;
};

struct CaseRecord {
  int64_t id = 0;
  int64_t version = 0;  // optimistic concurrency: bumped on every update
  std::string reference;
  std::string policy_id;
  CaseType type = CaseType::kComplaint;
  Channel channel = Channel::kEmail;
  std::string status;
  int stage = 0;
  Instant received_at{};
  int64_t contact_id = 0;
  std::optional<int64_t> representative_id;
  std::string summary;
  std::string definition;
  std::string outcome_sought;
  std::string refusal_reason;
  bool needs_review = false;
  std::vector<std::string> flags;
  std::optional<Instant> closed_at;
  // The service area (parsers/service_area.h): suggested from the text with a confidence when
  // the case opens, and confirmed or changed by staff (service_area_by names who; empty while
  // it is only a suggestion).
  std::string service_area;
  std::optional<double> service_area_confidence;
  std::string service_area_by;
  // The resident took the complaint to the Housing Ombudsman (when staff learned of it), and
  // the Ombudsman's determination once made ("maladministration", ...; empty while pending).
  std::optional<Instant> ombudsman_at;
  std::string ombudsman_outcome;
  std::vector<StageRecord> stages;
  std::vector<Deadline> deadlines;
  std::vector<ActionRecord> actions;
  std::vector<LearningAction> learning;

  StageRecord* CurrentStage();
  const StageRecord* CurrentStage() const;
  Deadline* OpenDeadline(std::string_view kind);
  const Deadline* OpenDeadline(std::string_view kind) const;
  bool HasFlag(std::string_view flag) const;
};

struct HistoryEntry {
  HistoryEntry() = default;
  HistoryEntry(Instant at_, std::string actor_, std::string action_, std::string detail_,
               std::optional<Instant> recorded_at_ = std::nullopt)
      : at(at_),
        actor(std::move(actor_)),
        action(std::move(action_)),
        detail(std::move(detail_)),
        recorded_at(recorded_at_) {}

  Instant at{};  // when it happened
  std::string actor;
  std::string action;
  std::string detail;
  // When it was recorded, for an action staff recorded after the fact (a call yesterday, a letter
  // posted last week: `--at`); none when recorded as it happened.
  std::optional<Instant> recorded_at;
};

}  // namespace complaints
