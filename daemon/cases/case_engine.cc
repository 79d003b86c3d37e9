#include "daemon/cases/case_engine.h"

#include <algorithm>
#include <cctype>

#include "daemon/calendar/bank_holidays.h"
#include "daemon/calendar/london_time.h"
#include "parsers/service_area.h"

namespace complaints {
namespace {

using namespace std::string_view_literals;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string DaysText(int n) {
  return std::to_string(n) + (n == 1 ? " working day" : " working days");
}

bool IsOneOf(std::string_view status, std::initializer_list<std::string_view> choices) {
  return std::find(choices.begin(), choices.end(), status) != choices.end();
}

Status Refused(const CaseRecord& c, const std::string& why) {
  return Status::Error(c.reference + ": " + why);
}

StageRecord NewStage(int number, const std::string& name, Instant opened_at) {
  StageRecord stage;
  stage.number = number;
  stage.name = name;
  stage.opened_at = opened_at;
  return stage;
}

int YearInLondon(Instant at) {
  return static_cast<int>(std::chrono::year_month_day{ToLondon(at).day}.year());
}

}  // namespace

CaseEngine::CaseEngine(CaseStore& store, Policy policy, BusinessHours hours, const Clock& clock)
    : store_(store), policy_(std::move(policy)), hours_(std::move(hours)), clock_(clock) {}

HistoryEntry CaseEngine::Entry(const std::string& actor, const std::string& action,
                               const std::string& detail) const {
  HistoryEntry e{When(), actor, action, detail, std::nullopt};
  if (acting_at_) e.recorded_at = clock_.Now();
  return e;
}

Status CaseEngine::SetActingAt(std::optional<Instant> at) {
  if (at && *at > clock_.Now()) {
    return Status::Error("--at " + FormatLondonIso(*at) + " is in the future");
  }
  acting_at_ = at;
  return Status::Ok();
}

const StagePolicy* CaseEngine::StageRules(int number) const {
  if (number < 1 || number > static_cast<int>(policy_.stages.size())) return nullptr;
  return &policy_.stages[static_cast<size_t>(number - 1)];
}

void CaseEngine::AddDeadline(CaseRecord& c, std::string_view kind, Instant due) const {
  c.deadlines.push_back({0, c.stage, std::string(kind), due, std::nullopt, std::nullopt});
}

void CaseEngine::MeetDeadline(CaseRecord& c, std::string_view kind, Instant at) const {
  if (Deadline* d = c.OpenDeadline(kind)) d->met_at = at;
}

void CaseEngine::SupersedeOpenDeadlines(CaseRecord& c, Instant at) const {
  for (Deadline& d : c.deadlines) {
    if (d.open()) d.superseded_at = at;
  }
}

void CaseEngine::OpenStage(CaseRecord& c, int number, Instant start) const {
  const StagePolicy& rules = *StageRules(number);
  c.stage = number;
  c.status = std::string(case_status::kOpen);
  c.stages.push_back(NewStage(number, rules.name, start));
  if (rules.acknowledge_days) {
    AddDeadline(c, deadline_kind::kAcknowledge, hours_.DueAt(start, *rules.acknowledge_days));
  }
  // Until the acknowledgement is made, a clock that starts there runs from the latest day the
  // acknowledgement may be made; Acknowledge() recomputes it from the real date.
  const int days = rules.response_clock == ResponseClock::kAcknowledgement
                       ? rules.acknowledge_days.value_or(0) + rules.respond_days
                       : rules.respond_days;
  AddDeadline(c, deadline_kind::kRespond, hours_.DueAt(start, days));
}

Result<CaseRecord> CaseEngine::Open(const OpenRequest& request, const std::string& actor,
                                    const Hook& after) {
  const Instant received = request.received_at.value_or(When());
  CaseRecord c;
  c.policy_id = policy_.id;
  c.type = request.type;
  c.channel = request.channel;
  c.received_at = received;
  c.summary = request.summary;
  const ServiceAreaSuggestion area =
      SuggestServiceArea(request.area_text.empty() ? request.summary : request.area_text);
  c.service_area = area.area;
  c.service_area_confidence = area.confidence;
  c.needs_review = request.needs_review;
  c.flags = request.flags;
  const bool complaint = request.type == CaseType::kComplaint;
  if (request.contact.name.empty() && request.contact.emails.empty() && request.contact.id == 0) {
    return Result<CaseRecord>::Error("a case needs a contact: give a name or an email address");
  }
  if (complaint && request.pre_formal && !policy_.pre_formal) {
    return Result<CaseRecord>::Error(
        "policy " + policy_.id + " has no quick fix or informal step: open a stage 1 complaint");
  }
  if (complaint && !request.pre_formal) {
    const StagePolicy* rules = StageRules(request.start_stage);
    if (rules == nullptr || (request.start_stage > 1 && !rules->direct_entry)) {
      return Result<CaseRecord>::Error("policy " + policy_.id +
                                       " does not let a complaint start at "
                                       "stage " +
                                       std::to_string(request.start_stage));
    }
  }
  std::string detail = std::string(CaseTypeName(c.type)) + " by " +
                       std::string(ChannelName(c.channel)) + ", received " +
                       FormatLondonIso(received);
  Status done = store_.InTransaction([&](StoreTransaction& txn) -> Status {
    Contact contact = request.contact;
    for (const std::string& email : contact.emails) {
      if (contact.id != 0) break;
      Result<std::optional<int64_t>> found = txn.FindContactByEmail(email);
      if (!found) return found.status();
      if (found.value()) contact.id = **found;
    }
    if (contact.id == 0) {
      Result<int64_t> id = txn.InsertContact(contact);
      if (!id) return id.status();
      contact.id = *id;
    }
    c.contact_id = contact.id;
    if (request.representative) {
      Contact rep = *request.representative;
      rep.representative = true;
      Result<int64_t> id = txn.InsertContact(rep);
      if (!id) return id.status();
      c.representative_id = *id;
    }
    const int year = YearInLondon(received);
    Result<long> seq = txn.NextSequence(policy_.reference_format + "|" + std::to_string(year));
    if (!seq) return seq.status();
    c.reference = FormatReference(policy_.reference_format, year, *seq);
    if (!complaint) {
      c.stage = 0;
      c.status = std::string(case_status::kOpen);
      c.stages.push_back(NewStage(0, std::string(CaseTypeName(c.type)), received));
    } else if (request.pre_formal) {
      c.stage = 0;
      c.status = std::string(case_status::kPreFormal);
      c.stages.push_back(NewStage(0, policy_.pre_formal->name, received));
      if (policy_.pre_formal->resolve_within_days) {
        AddDeadline(c, deadline_kind::kPreFormalResolve,
                    hours_.DueAt(received, *policy_.pre_formal->resolve_within_days));
      }
      detail += ", " + policy_.pre_formal->name;
    } else {
      OpenStage(c, request.start_stage, received);
    }
    if (Status s = txn.InsertCase(c); !s) return s;
    std::vector<HistoryEntry> entries = {Entry(actor, "opened", detail + ": " + request.summary)};
    if (after) {
      if (Status s = after(txn, c, entries); !s) return s;
      if (Status s = txn.UpdateCase(c); !s) return s;
    }
    for (const HistoryEntry& e : entries) {
      if (Status s = txn.AppendHistory(c.id, e); !s) return s;
    }
    return Status::Ok();
  });
  if (!done) return Result<CaseRecord>(done);
  return c;
}

Result<CaseRecord> CaseEngine::Update(const std::string& ref, const Change& change,
                                      const Hook& after) {
  CaseRecord result;
  Status done = store_.InTransaction([&](StoreTransaction& txn) -> Status {
    Result<CaseRecord> loaded = txn.LoadCase(ref);
    if (!loaded) return loaded.status();
    CaseRecord c = std::move(loaded).value();
    if (c.policy_id != policy_.id) {
      return Refused(c, "follows policy '" + c.policy_id + "', not '" + policy_.id +
                            "': use that policy's file");
    }
    if (acting_at_) {
      Result<std::optional<Instant>> latest = txn.LatestEventAt(c.id);
      if (!latest) return latest.status();
      if (*latest && **latest > *acting_at_) {
        return Refused(c, "--at " + FormatLondonIso(*acting_at_) +
                              " is before the case's latest event, at " +
                              FormatLondonIso(**latest));
      }
    }
    std::vector<HistoryEntry> entries;
    if (Status s = change(c, entries); !s) return s;
    if (after) {
      if (Status s = after(txn, c, entries); !s) return s;
    }
    if (Status s = txn.UpdateCase(c); !s) return s;
    for (const HistoryEntry& e : entries) {
      if (Status s = txn.AppendHistory(c.id, e); !s) return s;
    }
    result = std::move(c);
    return Status::Ok();
  });
  if (!done) return Result<CaseRecord>(done);
  return result;
}

Result<std::vector<std::string>> CaseEngine::RecordSentAcknowledgements(const std::string& actor) {
  using R = Result<std::vector<std::string>>;
  Result<std::vector<std::pair<std::string, Instant>>> sent = store_.UnrecordedAcknowledgements();
  if (!sent) return R(sent.status());
  std::vector<std::string> recorded;
  for (const auto& [reference, at] : *sent) {
    Result<CaseRecord> done = Acknowledge(reference, actor, at);
    if (!done) return R::Error(reference + ": " + done.error());
    recorded.push_back(reference);
  }
  return recorded;
}

Result<CaseRecord> CaseEngine::Acknowledge(const std::string& ref, const std::string& actor,
                                           std::optional<Instant> at, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        StageRecord* stage = c.CurrentStage();
        if (c.status != case_status::kOpen || c.stage < 1 || stage == nullptr) {
          return Refused(c,
                         "only an open complaint stage is acknowledged (status " + c.status + ")");
        }
        if (stage->acknowledged_at) {
          return Refused(c, stage->name + " was already acknowledged at " +
                                FormatLondonIso(*stage->acknowledged_at));
        }
        const Instant when = at.value_or(When());
        if (when > clock_.Now()) return Refused(c, "an acknowledgement cannot be in the future");
        if (when < stage->opened_at) return Refused(c, "acknowledged before the stage opened?");
        stage->acknowledged_at = when;
        MeetDeadline(c, deadline_kind::kAcknowledge, when);
        std::string detail = stage->name + " acknowledged at " + FormatLondonIso(when);
        const StagePolicy& rules = *StageRules(c.stage);
        if (rules.response_clock == ResponseClock::kAcknowledgement) {
          if (Deadline* respond = c.OpenDeadline(deadline_kind::kRespond)) {
            respond->superseded_at = When();
            AddDeadline(c, deadline_kind::kRespond,
                        hours_.DueAt(when, rules.respond_days + stage->extension_days));
            detail += "; response due " + FormatLondonIso(c.deadlines.back().due_at);
          }
        }
        h.push_back(Entry(actor, "acknowledged", detail));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Define(const std::string& ref, const std::string& definition,
                                      const std::string& outcome_sought, const std::string& actor,
                                      const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (c.type != CaseType::kComplaint) return Refused(c, "only complaints are defined");
        if (IsOneOf(c.status,
                    {case_status::kClosed, case_status::kRefused, case_status::kWithdrawn})) {
          return Refused(c, "is " + c.status + ": reopen it first");
        }
        if (definition.empty()) return Refused(c, "the definition is empty");
        c.definition = definition;
        c.outcome_sought = outcome_sought;
        if (StageRecord* stage = c.CurrentStage()) stage->defined_at = When();
        h.push_back(Entry(
            actor, "defined",
            definition + (outcome_sought.empty() ? "" : "; outcome sought: " + outcome_sought)));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Assign(const std::string& ref,
                                      const std::vector<std::string>& handlers,
                                      const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (IsOneOf(c.status,
                    {case_status::kClosed, case_status::kRefused, case_status::kWithdrawn})) {
          return Refused(c, "is " + c.status + ": reopen it first");
        }
        if (handlers.empty()) return Refused(c, "name a handler");
        StageRecord* stage = c.CurrentStage();
        const StagePolicy* rules = StageRules(c.stage);
        const int seats = rules && rules->panel ? rules->panel->members : 1;
        if (static_cast<int>(handlers.size()) != seats) {
          return Refused(
              c, stage->name + (seats == 1 ? " has one handler"
                                           : " is decided by a panel of " + std::to_string(seats) +
                                                 ": name all " + std::to_string(seats)));
        }
        for (const StageRecord& earlier : c.stages) {
          if (earlier.number < 1 || earlier.number >= c.stage) continue;
          std::vector<std::string> involved = earlier.panel;
          involved.push_back(earlier.handler);
          for (const std::string& person : handlers) {
            for (const std::string& before : involved) {
              if (!before.empty() && Lower(before) == Lower(person)) {
                return Refused(c, person + " handled " + earlier.name + ": " + stage->name +
                                      " must be handled by someone not involved before");
              }
            }
          }
        }
        std::string names;
        for (const std::string& person : handlers) names += (names.empty() ? "" : ", ") + person;
        stage->handler = handlers.size() == 1 ? handlers[0] : "panel";
        stage->panel = handlers.size() == 1 ? std::vector<std::string>{} : handlers;
        h.push_back(Entry(actor, "assigned", stage->name + ": " + names));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Extend(const std::string& ref, int working_days,
                                      const std::string& reason, const std::string& actor,
                                      const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        Deadline* respond = c.OpenDeadline(deadline_kind::kRespond);
        if (c.status != case_status::kOpen || c.stage < 1 || respond == nullptr) {
          return Refused(c, "only an open complaint stage awaiting its response can be extended");
        }
        if (working_days < 1) return Refused(c, "extend by at least one working day");
        if (reason.empty())
          return Refused(c, "an extension needs a reason (the resident is told it)");
        StageRecord* stage = c.CurrentStage();
        const StagePolicy& rules = *StageRules(c.stage);
        if (rules.max_extension_days &&
            stage->extension_days + working_days > *rules.max_extension_days) {
          return Refused(c, stage->name + " may be extended by at most " +
                                DaysText(*rules.max_extension_days) + " in all; " +
                                DaysText(stage->extension_days) + " already granted");
        }
        const auto old_day = ToLondon(respond->due_at).day;
        const Instant due =
            hours_.CloseOfBusiness(hours_.calendar().AddWorkingDays(old_day, working_days));
        respond->superseded_at = When();
        stage->extension_days += working_days;
        AddDeadline(c, deadline_kind::kRespond, due);
        h.push_back(Entry(actor, "extended",
                          stage->name + " response moved by " + DaysText(working_days) + " to " +
                              FormatLondonIso(due) + ": " + reason));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Respond(const std::string& ref, const StageResponse& response,
                                       const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (c.status != case_status::kOpen || c.stage < 1) {
          return Refused(
              c, "only an open complaint stage gets a stage response (status " + c.status + ")");
        }
        if (!IsOneOf(response.outcome, {"upheld", "partly_upheld", "not_upheld"})) {
          return Refused(c, "outcome must be upheld, partly_upheld or not_upheld");
        }
        const Instant now = When();
        StageRecord* stage = c.CurrentStage();
        if (!stage->acknowledged_at && StageRules(c.stage)->acknowledge_days) {
          stage->acknowledged_at = now;
          MeetDeadline(c, deadline_kind::kAcknowledge, now);
          h.push_back(Entry(actor, "acknowledged", stage->name + " acknowledged by its response"));
        }
        stage->responded_at = now;
        stage->outcome = response.outcome;
        stage->apology = response.apology;
        stage->financial = response.financial;
        for (ActionRecord action : response.actions) {
          action.id = 0;
          action.stage = c.stage;
          c.actions.push_back(action);
        }
        MeetDeadline(c, deadline_kind::kRespond, now);
        c.status = std::string(case_status::kResponded);
        std::string detail = stage->name + ": " + response.outcome;
        if (response.apology) detail += "; apology";
        for (const FinancialRemedy& f : response.financial) {
          detail += "; £" + std::to_string(f.amount_pence / 100) + "." +
                    (f.amount_pence % 100 < 10 ? "0" : "") + std::to_string(f.amount_pence % 100) +
                    " for " + f.what_for;
        }
        if (!response.actions.empty()) {
          detail += "; " + std::to_string(response.actions.size()) + " outstanding actions";
        }
        if (!response.summary.empty()) detail += ": " + response.summary;
        const StagePolicy& rules = *StageRules(c.stage);
        if (StageRules(c.stage + 1) != nullptr) {
          if (rules.escalation_window_days) {
            AddDeadline(c, deadline_kind::kEscalationWindow,
                        hours_.DueAt(now, *rules.escalation_window_days));
          }
        } else {
          detail +=
              "; final response: the resident may refer the complaint to " + policy_.ombudsman.name;
        }
        h.push_back(Entry(actor, "responded", detail));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Amend(const std::string& ref, const Hook& change) {
  return Update(
      ref, [](CaseRecord&, std::vector<HistoryEntry>&) { return Status::Ok(); }, change);
}

Result<CaseRecord> CaseEngine::Escalate(const std::string& ref, const std::string& actor,
                                        std::optional<Instant> requested_at, bool accept_late,
                                        const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (c.type != CaseType::kComplaint) {
          return Refused(c, "is a " + std::string(CaseTypeName(c.type)) +
                                ": open a complaint for the resident instead");
        }
        const bool pending = c.status == case_status::kEscalationReview;
        const bool from_pre_formal =
            c.stage == 0 && IsOneOf(c.status, {case_status::kPreFormal, case_status::kResolved});
        if (!pending && !from_pre_formal && c.status != case_status::kResponded) {
          return Refused(c, "status " + c.status +
                                ": a stage must have its response before the next "
                                "stage is asked for");
        }
        if (StageRules(c.stage + 1) == nullptr) {
          return Refused(c, "the final stage has responded: the resident may go to " +
                                policy_.ombudsman.name + " (" + policy_.ombudsman.phone + ")");
        }
        const Instant now = When();
        StageRecord* stage = c.CurrentStage();
        const Instant requested =
            pending ? stage->escalation_requested_at.value_or(now) : requested_at.value_or(now);
        const std::string_view window_kind =
            c.stage == 0 ? deadline_kind::kPreFormalWindow : deadline_kind::kEscalationWindow;
        Deadline* window = c.OpenDeadline(window_kind);
        const bool late = pending || (window != nullptr && requested > window->due_at);
        stage->escalation_requested_at = requested;
        stage->escalation_late = late;
        if (late && !accept_late) {
          c.status = std::string(case_status::kEscalationReview);
          c.needs_review = true;
          if (!c.HasFlag("late-escalation-request")) c.flags.push_back("late-escalation-request");
          if (window != nullptr) window->superseded_at = now;
          h.push_back(Entry(actor, "escalation_requested_late",
                            "asked at " + FormatLondonIso(requested) +
                                ", after the window: a member of staff decides (escalate "
                                "--accept-late, or refuse)"));
          return Status::Ok();
        }
        if (window != nullptr) window->met_at = requested;
        std::erase(c.flags, "late-escalation-request");
        if (from_pre_formal) {
          MeetDeadline(c, deadline_kind::kPreFormalResolve, requested);
        }
        const std::string from = stage->name;
        OpenStage(c, c.stage + 1, requested);
        h.push_back(Entry(actor, "escalated",
                          from + " -> " + c.CurrentStage()->name + ", asked at " +
                              FormatLondonIso(requested) +
                              (late ? " (late, accepted by staff)" : "")));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Resolve(const std::string& ref, const std::string& summary,
                                       const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        const Instant now = When();
        StageRecord* stage = c.CurrentStage();
        if (c.type == CaseType::kComplaint && c.status == case_status::kPreFormal) {
          stage->responded_at = now;
          stage->outcome = "resolved";
          MeetDeadline(c, deadline_kind::kPreFormalResolve, now);
          c.status = std::string(case_status::kResolved);
          if (policy_.pre_formal->escalate_within_days) {
            AddDeadline(c, deadline_kind::kPreFormalWindow,
                        hours_.DueAt(now, *policy_.pre_formal->escalate_within_days));
          }
          h.push_back(Entry(actor, "resolved", policy_.pre_formal->name + ": " + summary));
          return Status::Ok();
        }
        if (c.type != CaseType::kComplaint && c.status == case_status::kOpen) {
          stage->responded_at = now;
          stage->outcome = "resolved";
          c.status = std::string(case_status::kClosed);
          c.closed_at = now;
          h.push_back(Entry(actor, "resolved", summary));
          return Status::Ok();
        }
        return Refused(c,
                       "status " + c.status + ": resolve ends a quick fix, an informal step or a " +
                           "comment, compliment, service request or ASB report; a formal stage " +
                           "gets 'respond'");
      },
      after);
}

Result<CaseRecord> CaseEngine::Refuse(const std::string& ref, const std::string& reason_code,
                                      const std::string& detail, const std::string& actor,
                                      const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (c.type != CaseType::kComplaint) return Refused(c, "only complaints are refused");
        if (IsOneOf(c.status,
                    {case_status::kClosed, case_status::kRefused, case_status::kWithdrawn})) {
          return Refused(c, "is already " + c.status);
        }
        const RefusalReason* reason = policy_.FindRefusalReason(reason_code);
        if (reason == nullptr) {
          std::string codes;
          for (const RefusalReason& r : policy_.refusal_reasons) {
            codes += (codes.empty() ? "" : ", ") + r.code;
          }
          return Refused(c, "'" + reason_code + "' is not a refusal reason of policy " +
                                policy_.id + " (" + codes + ")");
        }
        const Instant now = When();
        SupersedeOpenDeadlines(c, now);
        c.status = std::string(case_status::kRefused);
        c.refusal_reason = reason->code + (detail.empty() ? "" : ": " + detail);
        c.closed_at = now;
        std::erase(c.flags, "late-escalation-request");
        h.push_back(Entry(actor, "refused",
                          reason->text + (detail.empty() ? "" : " (" + detail + ")") +
                              "; the resident is told the reasons and may go to " +
                              policy_.ombudsman.name));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Close(const std::string& ref, const std::string& note,
                                     const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        const bool simple_open = c.type != CaseType::kComplaint && c.status == case_status::kOpen;
        if (!simple_open && !IsOneOf(c.status, {case_status::kResponded, case_status::kResolved})) {
          return Refused(c, "status " + c.status + ": respond, resolve or refuse before closing");
        }
        const auto outstanding = std::count_if(c.actions.begin(), c.actions.end(),
                                               [](const ActionRecord& a) { return !a.done_at; });
        if (outstanding > 0) {
          return Refused(c, std::to_string(outstanding) +
                                " outstanding actions: complete them first (cases action-done)");
        }
        const Instant now = When();
        SupersedeOpenDeadlines(c, now);
        c.status = std::string(case_status::kClosed);
        c.closed_at = now;
        h.push_back(Entry(actor, "closed", note));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Reopen(const std::string& ref, const std::string& reason,
                                      const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (!IsOneOf(c.status,
                     {case_status::kClosed, case_status::kRefused, case_status::kWithdrawn})) {
          return Refused(c, "is " + c.status + ", not closed or refused");
        }
        if (reason.empty()) return Refused(c, "give a reason for reopening");
        const Instant now = When();
        c.closed_at.reset();
        c.refusal_reason.clear();
        StageRecord* stage = c.CurrentStage();
        std::string detail = reason;
        if (c.stage >= 1) {
          c.status = std::string(case_status::kOpen);
          stage->responded_at.reset();
          AddDeadline(c, deadline_kind::kRespond,
                      hours_.DueAt(now, StageRules(c.stage)->respond_days));
          detail +=
              "; " + stage->name + " response due " + FormatLondonIso(c.deadlines.back().due_at);
        } else {
          c.status = std::string(c.type == CaseType::kComplaint ? case_status::kPreFormal
                                                                : case_status::kOpen);
        }
        h.push_back(Entry(actor, "reopened", detail));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Note(const std::string& ref, const std::string& text,
                                    const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (text.empty()) return Refused(c, "the note is empty");
        h.push_back(Entry(actor, "note", text));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::Relabel(const std::string& ref, CaseType to,
                                       const std::string& reason, const std::string& actor,
                                       const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (reason.empty()) return Refused(c, "say why the label is wrong (--reason)");
        const bool triage = c.HasFlag(kTriageFlag);
        std::erase_if(c.flags, [](const std::string& f) {
          return f == kTriageFlag || f.rfind(kTriageAlternativeFlag, 0) == 0;
        });
        const std::string from(CaseTypeName(c.type));
        if (c.type == to) {
          if (!triage) return Refused(c, "is already labelled " + std::string(CaseTypeName(to)));
          c.needs_review = false;
          h.push_back(Entry(actor, "label_confirmed", from + ": " + reason));
          return Status::Ok();
        }
        const Instant now = When();
        if (to == CaseType::kComplaint) {
          if (c.status == case_status::kClosed || c.status == case_status::kRefused ||
              c.status == case_status::kWithdrawn) {
            return Refused(c, "is " + c.status + ": reopen it first");
          }
          OpenStage(c, 1, c.received_at);
        } else if (c.type == CaseType::kComplaint) {
          const bool answered = std::any_of(c.stages.begin(), c.stages.end(),
                                            [](const StageRecord& s) { return s.responded_at; });
          if (answered || (c.status != case_status::kOpen && c.status != case_status::kPreFormal)) {
            return Refused(c, "has had a response as a complaint: it stays a complaint");
          }
          SupersedeOpenDeadlines(c, now);
          c.stage = 0;
          c.status = std::string(case_status::kOpen);
          c.stages.push_back(NewStage(0, std::string(CaseTypeName(to)), now));
        }
        c.type = to;
        c.needs_review = false;
        h.push_back(Entry(actor, "relabelled",
                          from + " -> " + std::string(CaseTypeName(to)) + ": " + reason));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::CompleteAction(const std::string& ref, int64_t action_id,
                                              const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        for (ActionRecord& a : c.actions) {
          if (a.id != action_id) continue;
          if (a.done_at)
            return Refused(c, "action " + std::to_string(action_id) + " is already done");
          a.done_at = When();
          h.push_back(Entry(actor, "action_done", a.description));
          return Status::Ok();
        }
        return Refused(c, "has no action " + std::to_string(action_id));
      },
      after);
}

Result<CaseRecord> CaseEngine::Withdraw(const std::string& ref, const std::string& reason,
                                        const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (IsOneOf(c.status,
                    {case_status::kClosed, case_status::kRefused, case_status::kWithdrawn})) {
          return Refused(c, "is " + c.status + " already");
        }
        if (reason.empty()) return Refused(c, "give the reason the resident gave, or 'none given'");
        const Instant now = When();
        SupersedeOpenDeadlines(c, now);
        c.status = std::string(case_status::kWithdrawn);
        c.closed_at = now;
        h.push_back(Entry(actor, "withdrawn", reason));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::SetServiceArea(const std::string& ref, const std::string& area,
                                              const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (!IsServiceArea(area)) {
          std::string known;
          for (const std::string& a : ServiceAreas()) known += (known.empty() ? "" : ", ") + a;
          return Refused(c, "'" + area + "' is not a service area: " + known);
        }
        const std::string before = c.service_area;
        const bool confirmed = !c.service_area_by.empty();
        if (confirmed && before == area) return Refused(c, "is already in " + area);
        c.service_area = area;
        c.service_area_by = actor;
        h.push_back(Entry(
            actor, "service_area",
            before == area ? "confirmed " + area : (before.empty() ? "" : before + " -> ") + area));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::AddLearning(const std::string& ref, const LearningAction& action,
                                           const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (action.what.empty()) return Refused(c, "say what will change (--what)");
        if (action.owner.empty()) return Refused(c, "name who owns the change (--owner)");
        LearningAction l = action;
        l.id = 0;
        l.done_at.reset();
        l.added_at = When();
        c.learning.push_back(l);
        h.push_back(Entry(actor, "learning_action",
                          l.what + " (owner " + l.owner +
                              (l.due_on ? ", due " + FormatDay(*l.due_on) : std::string()) + ")"));
        return Status::Ok();
      },
      after);
}

Result<CaseRecord> CaseEngine::CompleteLearning(const std::string& ref, int64_t learning_id,
                                                const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        for (LearningAction& l : c.learning) {
          if (l.id != learning_id) continue;
          if (l.done_at) {
            return Refused(c,
                           "learning action " + std::to_string(learning_id) + " is already done");
          }
          l.done_at = When();
          h.push_back(Entry(actor, "learning_done", l.what));
          return Status::Ok();
        }
        return Refused(c, "has no learning action " + std::to_string(learning_id));
      },
      after);
}

const std::vector<std::string>& OmbudsmanOutcomes() {
  static const std::vector<std::string> outcomes = {
      "severe_maladministration", "maladministration",    "service_failure",
      "reasonable_redress",       "no_maladministration", "outside_jurisdiction"};
  return outcomes;
}

Result<CaseRecord> CaseEngine::RecordOmbudsman(const std::string& ref, const std::string& outcome,
                                               const std::string& actor, const Hook& after) {
  return Update(
      ref,
      [&](CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        if (c.type != CaseType::kComplaint) return Refused(c, "is not a complaint");
        if (!outcome.empty()) {
          const std::vector<std::string>& known = OmbudsmanOutcomes();
          if (std::find(known.begin(), known.end(), outcome) == known.end()) {
            std::string list;
            for (const std::string& o : known) list += (list.empty() ? "" : ", ") + o;
            return Refused(c, "'" + outcome + "' is not a determination: " + list);
          }
        }
        if (!c.ombudsman_at) {
          c.ombudsman_at = When();
          h.push_back(Entry(actor, "ombudsman", "referred to the Housing Ombudsman"));
        } else if (outcome.empty()) {
          return Refused(c, "is already with the Ombudsman: give the determination (--outcome)");
        }
        if (!outcome.empty()) {
          c.ombudsman_outcome = outcome;
          h.push_back(Entry(actor, "ombudsman_determination", outcome));
        }
        return Status::Ok();
      },
      after);
}

}  // namespace complaints
