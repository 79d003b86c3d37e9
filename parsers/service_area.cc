#include "parsers/service_area.h"

#include <algorithm>
#include <array>

#include "parsers/ascii_case.h"

namespace complaints {
namespace {

struct Cue {
  std::string_view words;  // lower case; matched at the start of a word, any ending
  double weight;
};

struct AreaCues {
  std::string_view area;
  std::string_view title;
  std::vector<Cue> cues;
};

const std::vector<AreaCues>& Table() {
  static const std::vector<AreaCues> table = {
      {"repairs",
       "Repairs",
       {{"repair", 2},    {"leak", 2},       {"boiler", 2},      {"heating", 2},
        {"hot water", 2}, {"radiator", 2},   {"job number", 2},  {"broken", 1},
        {"engineer", 1},  {"contractor", 1}, {"operative", 1.5}, {"roof", 1.5},
        {"window", 1},    {"toilet", 1.5},   {"plumb", 1.5},     {"electric", 1.5},
        {"lift", 1},      {"ceiling", 1},    {"appointment", 1}, {"kitchen", 1},
        {"bathroom", 1},  {"fix", 1},        {"no heating", 2},  {"gas safety", 2}}},
      {"damp_and_mould",
       "Damp and mould",
       {{"damp", 3},
        {"mould", 3},
        {"mold", 3},
        {"condensation", 3},
        {"mildew", 3},
        {"black spots", 2},
        {"musty", 2},
        {"fungus", 2},
        {"wet walls", 2},
        {"dehumidifier", 2}}},
      {"asb_handling",
       "ASB handling",
       {{"anti-social", 3},
        {"antisocial", 3},
        {"anti social", 3},
        {"asb", 3},
        {"neighbour", 2},
        {"noise", 2},
        {"harass", 3},
        {"intimidat", 3},
        {"threaten", 2},
        {"drug", 2},
        {"loud music", 2},
        {"police", 1.5},
        {"shouting", 1}}},
      {"staff_conduct",
       "Staff conduct",
       {{"rude", 3},
        {"unprofessional", 3},
        {"disrespect", 3},
        {"patronis", 3},
        {"patroniz", 3},
        {"attitude", 2},
        {"dismissive", 2},
        {"swore", 2},
        {"hung up", 2},
        {"laughed at", 2},
        {"shouted at", 3},
        {"manner", 1.5},
        {"discriminat", 2},
        {"staff member", 1}}},
      {"communication",
       "Communication and record keeping",
       {{"no response", 2},
        {"no reply", 2},
        {"not replied", 2},
        {"never replied", 2},
        {"never called back", 3},
        {"call back", 2},
        {"got back to me", 2},
        {"no one got back", 3},
        {"nobody got back", 3},
        {"chasing", 2},
        {"chase", 2},
        {"nobody told", 2},
        {"kept informed", 2},
        {"ignored", 1.5},
        {"on hold", 2},
        {"wrong information", 2},
        {"lost my", 1.5},
        {"no record", 3},
        {"records", 1}}},
      {"rent_and_charges",
       "Rent and charges",
       {{"rent", 3},
        {"service charge", 3},
        {"arrears", 3},
        {"overcharg", 3},
        {"recharg", 3},
        {"direct debit", 3},
        {"charge", 2},
        {"invoice", 2},
        {"refund", 2},
        {"payment", 2},
        {"universal credit", 2},
        {"housing benefit", 2},
        {"bill", 1.5}}},
      {"estate_services",
       "Estate services",
       {{"communal", 2},
        {"grounds", 2},
        {"grass", 2},
        {"cleaning", 2},
        {"cleaner", 2},
        {"bins", 2},
        {"bin store", 2},
        {"rubbish", 2},
        {"litter", 2},
        {"fly-tip", 3},
        {"fly tip", 3},
        {"caretaker", 2},
        {"stairwell", 2},
        {"car park", 2},
        {"parking", 1.5},
        {"estate", 1.5},
        {"hedge", 2},
        {"graffiti", 2},
        {"gardening", 2}}},
  };
  return table;
}

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Whether `cue` appears in `text` (lower case) at the start of a word.
bool Appears(std::string_view text, std::string_view cue) {
  for (size_t at = text.find(cue); at != std::string_view::npos; at = text.find(cue, at + 1)) {
    if (at == 0 || !IsLetter(text[at - 1])) return true;
  }
  return false;
}

}  // namespace

const std::vector<std::string>& ServiceAreas() {
  static const std::vector<std::string> areas = [] {
    std::vector<std::string> out;
    for (const AreaCues& a : Table()) out.emplace_back(a.area);
    out.emplace_back("other");
    return out;
  }();
  return areas;
}

std::string ServiceAreaTitle(std::string_view area) {
  for (const AreaCues& a : Table()) {
    if (a.area == area) return std::string(a.title);
  }
  return area == "other" ? "Other" : std::string(area);
}

bool IsServiceArea(std::string_view area) {
  const std::vector<std::string>& all = ServiceAreas();
  return std::find(all.begin(), all.end(), area) != all.end();
}

ServiceAreaSuggestion SuggestServiceArea(std::string_view text) {
  const std::string lower = LowerAscii(text);
  ServiceAreaSuggestion best{"other", 0.0};
  double best_score = 0, total = 0;
  for (const AreaCues& a : Table()) {
    double score = 0;
    for (const Cue& cue : a.cues) {
      if (Appears(lower, cue.words)) score += cue.weight;
    }
    total += score;
    if (score > best_score) {
      best_score = score;
      best.area = std::string(a.area);
    }
  }
  if (best_score > 0) best.confidence = best_score / (total + 1.0);
  return best;
}

}  // namespace complaints
