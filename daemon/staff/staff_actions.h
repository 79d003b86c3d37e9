// Every change a member of staff makes to a case, in one place for complaintsctl and the
// workbench alike: the fields of each action (named as complaintsctl's options, so `--working-days
// 5` and a form's `working-days=5` are the same field), the engine call it makes, and the letter it
// sends the resident. Neither front end holds a rule of the case lifecycle.
//
// An action may carry the case version the person saw (a web page's hidden field): when the case
// has changed since, the action is refused with what changed, never applied over the other's work,
// even when the change lands between the check and the write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/calendar/clock.h"
#include "daemon/cases/case_engine.h"
#include "daemon/cases/case_record.h"
#include "daemon/cases/case_store.h"
#include "daemon/cases/policy.h"
#include "daemon/outgoing/case_mailer.h"
#include "parsers/result.h"

namespace complaints {

// An action's fields: name and value pairs in order, repeatable ("handler" twice is a panel).
class ActionFields {
 public:
  void Add(std::string name, std::string value);
  bool Has(const std::string& name) const;
  // The last non-empty value of `name` (a blank form field counts as absent).
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;  // non-empty values, in order

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// What an action works with. `mailer` may be null: then no letter is queued (complaintsctl
// without --config), and an action that exists to send one (settling a triage case) is refused.
struct StaffDesk {
  CaseStore& store;
  CaseEngine& engine;
  CaseMailer* mailer = nullptr;
  const Policy& policy;
  const Clock& clock;
  std::string system_actor;  // who the history names for the mail an action queues
};

// The actions on an existing case, by name: ack define assign extend respond escalate resolve
// refuse close reopen note relabel withdraw action-done area learning learning-done ombudsman.
const std::vector<std::string>& StaffVerbs();

// The case as the person saw it when they chose the action: its version and how many history
// entries it had (history only grows, so the entries past that count are what changed since).
struct SeenCase {
  int64_t version = 0;
  size_t history_entries = 0;
};

// Runs `verb` on case `ref` for `actor`. `seen`, when given, is the case the person acted on.
// Errors start "missing --NAME" or "invalid ..." for bad fields; any other error is the engine's
// refusal (or, for a stale page, "changed since you loaded it: ...").
Result<CaseRecord> RunStaffAction(StaffDesk& desk, const std::string& verb, const std::string& ref,
                                  const ActionFields& fields, const std::string& actor,
                                  std::optional<SeenCase> seen = std::nullopt);

// Logs a complaint or other case that came by phone, visit, letter or web form (`cases open`).
Result<OpenRequest> ReadOpenRequest(const ActionFields& fields);
Result<CaseRecord> OpenStaffCase(StaffDesk& desk, const ActionFields& fields,
                                 const std::string& actor);

// "upheld in part" for partly_upheld; the remedy of a response in words, for letters and pages.
std::string OutcomeWords(const std::string& outcome);
std::string RemedyWords(const StageResponse& response);

}  // namespace complaints
