// Service areas: what a complaint is about, for the annual report's themes and the monthly view
// (repairs, damp and mould, ASB handling, staff conduct, communication and record keeping, rent
// and charges, estate services, other). A suggestion from the text, with a confidence, that
// staff confirm or change; never a decision on its own. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaints {

// The areas in report order: "repairs", "damp_and_mould", "asb_handling", "staff_conduct",
// "communication", "rent_and_charges", "estate_services", "other".
const std::vector<std::string>& ServiceAreas();
// "Damp and mould", "Communication and record keeping", ...; the name itself for an unknown one.
std::string ServiceAreaTitle(std::string_view area);
bool IsServiceArea(std::string_view area);

struct ServiceAreaSuggestion {
  std::string area;         // "other" when nothing in the text points anywhere
  double confidence = 0.0;  // 0 to 1: the area's share of the evidence, damped when there is little
};

// Weighs cue words and phrases (matched at the start of a word, case-blind: "mould", "mouldy")
// for each area: confidence = best / (all areas' total + 1), so one strong cue gives about 0.7,
// two areas equally present 0.5 at most, and nothing at all "other" with 0.
ServiceAreaSuggestion SuggestServiceArea(std::string_view text);

}  // namespace complaints
