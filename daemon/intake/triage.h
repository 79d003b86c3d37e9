// Triage: the messages the classifier cannot place with confidence between complaint and
// something else. Such a case opens as a complaint, so the Code's acknowledgement clock runs from
// receipt, but the resident gets a neutral receipt (the reference, that a person will read it and
// by when, how to complain) instead of a typed acknowledgement, and the case waits on the triage
// list (flag "triage") until a person confirms or corrects the label, or the deadline watcher
// settles it as the configuration says before the acknowledgement is due. Settling sends the
// letter the label calls for.
//
// Intake opens triage cases, complaintsctl and the deadline watcher settle them: the rules live
// here once.
#pragma once

#include <string>
#include <string_view>

#include "daemon/cases/case_engine.h"
#include "daemon/cases/case_store.h"
#include "daemon/intake/intake.h"
#include "daemon/outgoing/case_mailer.h"

namespace complaints {

// Marks a new case uncertain: on the triage list, for review, with the alternative label.
void AddTriageFlags(const Classification& label, OpenRequest& request);
// The first reply to a new case: the neutral receipt when uncertain, else the type's own.
const char* FirstReplyTemplate(const Classification& label, CaseType type);
// The history line and the log line of a classification.
std::string ClassifiedDetail(const Classification& label);
std::string OutcomeDetail(const Classification& label);

bool IsInTriage(const CaseRecord& c);
// The label offered beside complaint, "" when none was recorded.
std::string TriageAlternative(const CaseRecord& c);

// A person (or the policy at the deadline) settles the label of case `ref` as `to`; to confirm a
// triage case as a complaint, `to` is complaint. A triage case then leaves the list and the
// resident is sent the letter the label calls for (the stage acknowledgement for a complaint,
// which records the acknowledgement when it goes); where the contact has no email address, the
// case is flagged for staff to post it. A case not in triage is relabelled as
// CaseEngine::Relabel does and nothing is sent. All in one transaction.
Result<CaseRecord> SettleLabel(CaseEngine& engine, CaseStore& store, CaseMailer& mailer,
                               const std::string& ref, CaseType to, const std::string& reason,
                               const std::string& actor);

}  // namespace complaints
