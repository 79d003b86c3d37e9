#include "daemon/staff/case_json.h"

#include "daemon/calendar/bank_holidays.h"
#include "daemon/calendar/london_time.h"

namespace complaints {
namespace {

using nlohmann::json;

json DeadlinesJson(const CaseRecord& c, bool all) {
  json out = json::array();
  for (const Deadline& d : c.deadlines) {
    if (d.superseded_at && !all) continue;
    json item = {{"kind", d.kind},
                 {"stage", d.stage},
                 {"due_at", FormatLondonIso(d.due_at)},
                 {"met_at", d.met_at ? json(FormatLondonIso(*d.met_at)) : json(nullptr)}};
    if (all) {
      item["superseded_at"] =
          d.superseded_at ? json(FormatLondonIso(*d.superseded_at)) : json(nullptr);
    }
    out.push_back(item);
  }
  return out;
}

}  // namespace

json CaseToJson(const CaseRecord& c, bool all_deadlines) {
  const StageRecord* stage = c.CurrentStage();
  json actions = json::array();
  for (const ActionRecord& a : c.actions) {
    actions.push_back({{"id", a.id},
                       {"stage", a.stage},
                       {"description", a.description},
                       {"due_on", a.due_on ? json(FormatDay(*a.due_on)) : json(nullptr)},
                       {"done_at", a.done_at ? json(FormatLondonIso(*a.done_at)) : json(nullptr)}});
  }
  json learning = json::array();
  for (const LearningAction& l : c.learning) {
    learning.push_back(
        {{"id", l.id},
         {"what", l.what},
         {"owner", l.owner},
         {"due_on", l.due_on ? json(FormatDay(*l.due_on)) : json(nullptr)},
         {"done_at", l.done_at ? json(FormatLondonIso(*l.done_at)) : json(nullptr)}});
  }
  json area = {
      {"area", c.service_area},
      {"confidence", c.service_area_confidence ? json(*c.service_area_confidence) : json(nullptr)},
      {"confirmed_by", c.service_area_by.empty() ? json(nullptr) : json(c.service_area_by)}};
  json ombudsman = c.ombudsman_at
                       ? json{{"since", FormatLondonIso(*c.ombudsman_at)},
                              {"outcome", c.ombudsman_outcome.empty() ? json(nullptr)
                                                                      : json(c.ombudsman_outcome)}}
                       : json(nullptr);
  return {{"reference", c.reference},
          {"policy", c.policy_id},
          {"type", std::string(CaseTypeName(c.type))},
          {"channel", std::string(ChannelName(c.channel))},
          {"stage", c.stage},
          {"stage_name", stage ? stage->name : ""},
          {"status", c.status},
          {"received_at", FormatLondonIso(c.received_at)},
          {"handler", stage && !stage->handler.empty() ? json(stage->handler) : json(nullptr)},
          {"panel", stage ? stage->panel : std::vector<std::string>{}},
          {"summary", c.summary},
          {"definition", c.definition},
          {"outcome_sought", c.outcome_sought},
          {"needs_review", c.needs_review},
          {"flags", c.flags},
          {"refusal_reason", c.refusal_reason},
          {"deadlines", DeadlinesJson(c, all_deadlines)},
          {"actions", actions},
          {"service_area", area},
          {"learning", learning},
          {"ombudsman", ombudsman}};
}

}  // namespace complaints
