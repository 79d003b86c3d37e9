#include "parsers/cue_classifier.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace complaints {
namespace {

struct Cue {
  const char* phrase;
  int weight;
};

// Dissatisfaction with the landlord's service: the Code's definition of a complaint.
constexpr Cue kDissatisfaction[] = {
    {"complain", 5},
    {"not acceptable", 4},
    {"unacceptable", 4},
    {"disgusted", 4},
    {"disgraceful", 4},
    {"appalling", 4},
    {"shocking", 3},
    {"fed up", 4},
    {"sick of", 4},
    {"still not", 3},
    {"still waiting", 4},
    {"still broken", 4},
    {"still no", 3},
    {"still hasn't", 3},
    {"still haven't", 3},
    {"not been fixed", 4},
    {"not fixed", 3},
    {"never fixed", 4},
    {"nobody came", 4},
    {"no one came", 4},
    {"nobody turned up", 4},
    {"didn't turn up", 4},
    {"did not turn up", 4},
    {"no-show", 4},
    {"missed appointment", 4},
    {"failed to", 3},
    {"third time", 3},
    {"three times", 3},
    {"again and again", 3},
    {"no response", 3},
    {"no reply", 3},
    {"nobody rings", 3},
    {"ignored", 3},
    {"rude", 4},
    {"unhelpful", 3},
    {"spoke to me", 2},
    {"talked over", 3},
    {"walked off", 3},
    {"poor service", 4},
    {"poor standard", 4},
    {"bad service", 4},
    {"let down", 3},
    {"not happy", 4},
    {"unhappy", 3},
    {"dissatisfied", 5},
    {"not satisfied", 5},
    {"disappointed", 3},
    {"frustrated", 3},
    {"waste of", 2},
    {"took another day off", 3},
    {"day off work", 2},
    {"weeks", 1},
    {"months", 2},
    {"since june", 2},
    {"no heating", 2},
    {"no hot water", 2},
    {"mould", 1},
    {"damp", 1},
    {"compensation", 3},
    {"apology", 3},
    {"apologise", 2},
    {"ombudsman", 4},
    {"escalate", 3},
    {"thanks for nothing", 6},
    {"as always", 2},
    {"brilliant service", 2},
    {"well done", 1},
    {"typical", 2},
    {"useless", 4},
    {"incompetent", 4},
    {"contractor", 1},
    {"chased", 3},
    {"chase", 2},
    {"chasing", 3},
    {"promised", 2},
    {"told me it would", 3},
    {"cannot afford", 2},
    {"can't afford", 2},
    {"not good enough", 4},
    {"not right", 2},
    {"wrong", 1},
    {"mistake", 2},
    // General signs of a grievance: weak alone, they add up.
    {"terrible", 3},
    {"awful", 3},
    {"worst", 3},
    {"horrible", 3},
    {"ridiculous", 3},
    {"poor", 2},
    {"bad ", 2},
    {"hate", 2},
    {"annoyed", 3},
    {"angry", 3},
    {"furious", 3},
    {"rubbish", 3},
    {"joke", 2},
    {"pathetic", 3},
    {"nightmare", 3},
    {"never", 2},
    {"still", 2},
    {"why is", 2},
    {"why are", 2},
    {"why do", 2},
    {"why does", 2},
    {"no one", 2},
    {"nobody", 2},
    {"can't believe", 3},
    {"cannot believe", 3},
    {"waiting", 2},
    {"delay", 2},
    {"late", 1},
    {"cancelled", 2},
    {"failed", 2},
    {"refund", 2},
    {"charged", 2},
    {"doesn't work", 2},
    {"does not work", 2},
    {"didn't", 1},
    {"haven't", 1},
    {"not working", 2},
    {"no answer", 3},
    {"hours", 1},
    {"lack of", 2},
    {"not enough", 2},
    {"too long", 3},
    {"long wait", 3},
    {"wasn't", 1},
    {"must be done", 3},
    {"could be more", 2},
    {"not your problem", 2},
};

constexpr Cue kPraise[] = {
    {"thank you", 2},       {"thanks", 1},       {"grateful", 3},       {"excellent", 3},
    {"brilliant", 2},       {"fantastic", 3},    {"wonderful", 3},      {"great job", 3},
    {"so helpful", 3},      {"very helpful", 3}, {"always helpful", 3}, {"well done", 2},
    {"compliment", 4},      {"praise", 3},       {"cheerful", 2},       {"above and beyond", 4},
    {"real difference", 2}, {"happy with", 2},   {"pleased", 2},        {"credit to", 3},
    {"lovely", 3},          {"friendly", 3},     {"kind", 2},           {"caring", 3},
    {"professional", 2},    {"efficient", 2},    {"good", 1},           {"great", 2},
    {"amazing", 3},         {"nice", 2},         {"polite", 2},         {"respectful", 2},
    {"listened", 2},        {"reassur", 2},      {"perfect", 2},        {"love", 2},
    {"appreciate", 3},      {"1st class", 3},    {"first class", 3},    {"helpful", 2},
};

constexpr Cue kSuggestion[] = {
    {"suggest", 4},
    {"suggestion", 4},
    {"it would help if", 4},
    {"would really help", 3},
    {"could you consider", 3},
    {"maybe you could", 3},
    {"why not", 2},
    {"idea", 2},
    {"would be nice", 3},
    {"would be good", 3},
    {"feedback", 2},
    {"in future", 1},
    {"should", 3},
    {"would be better", 4},
    {"could be improved", 4},
    {"i wish", 3},
    {"it would be", 2},
    {"please add", 4},
    {"option to", 2},
    {"ability to", 3},
    {"need more", 2},
    {"allow ", 2},
    {"recommend", 2},
    {"consider", 2},
};

constexpr Cue kRequest[] = {
    {"could someone", 3},   {"can someone", 3},  {"please come", 3},
    {"please send", 2},     {"could you", 2},    {"can you", 2},
    {"please can", 2},      {"please could", 2}, {"would like to book", 3},
    {"report a repair", 4}, {"repair", 2},       {"broken", 1},
    {"leaking", 2},         {"leak", 1},         {"dripping", 2},
    {"blocked", 2},         {"not working", 1},  {"stopped working", 1},
    {"need a new", 2},      {"replace", 1},      {"rent", 1},
    {"direct debit", 2},    {"change my", 2},    {"update my", 2},
};

constexpr Cue kNeighbour[] = {
    {"neighbour", 4},  {"neighbor", 4},   {"flat above", 3},  {"flat below", 3},  {"next door", 3},
    {"upstairs", 2},   {"loud music", 4}, {"noise", 2},       {"shouting", 2},    {"swore at", 3},
    {"threatened", 3}, {"drug", 3},       {"dealing", 2},     {"anti-social", 5}, {"antisocial", 5},
    {"harass", 4},     {"intimidat", 4},  {"fly-tipping", 2}, {"their dog", 2},   {"parties", 2},
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Curly apostrophes from word processors read as straight ones.
  for (size_t p; (p = text.find("\xE2\x80\x99")) != std::string::npos;) text.replace(p, 3, "'");
  return text;
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Whether `phrase` occurs in `text` starting a word: "rent" in "my rent" but not in "parent",
// "pathetic" not in "sympathetic". The end stays open, so a stem ("complain") covers its forms.
bool HasAtWordStart(const std::string& text, std::string_view phrase) {
  const bool check = !phrase.empty() && IsWordChar(phrase.front());
  for (size_t at = text.find(phrase); at != std::string::npos; at = text.find(phrase, at + 1)) {
    if (!check || at == 0 || !IsWordChar(text[at - 1])) return true;
  }
  return false;
}

// Satisfaction said through the word "complain": "no complaints", "can't complain", "couldn't
// make any complaints". These are praise, not the dissatisfaction cue "complain"; the rest of the
// text is still read for real grievances ("no complaints about the flat, but nobody came").
constexpr std::string_view kNoComplaint[] = {
    "no complaints",      "can't complain",      "cannot complain", "couldn't complain",
    "could not complain", "nothing to complain", "any complaints",  "any complaint",
};
constexpr std::string_view kNegations[] = {"n't ", "not ", "never ", "no ", "without "};

// `text` with each satisfied use of "complain" blanked out; `found` counts them.
std::string WithoutSatisfiedComplaints(std::string text, int& found) {
  found = 0;
  for (std::string_view phrase : kNoComplaint) {
    const bool needs_negation = phrase.starts_with("any ");
    for (size_t at = text.find(phrase); at != std::string::npos; at = text.find(phrase, at + 1)) {
      if (at > 0 && IsWordChar(text[at - 1])) continue;
      if (needs_negation) {
        // A negation in the same sentence, within the two words or so before: "couldn't make
        // any", "don't have any".
        std::string_view before = std::string_view(text).substr(0, at);
        before = before.substr(before.size() > 16 ? before.size() - 16 : 0);
        if (const size_t stop = before.find_last_of(".!?;"); stop != std::string_view::npos) {
          before = before.substr(stop + 1);
        }
        if (std::none_of(std::begin(kNegations), std::end(kNegations), [&](std::string_view n) {
              return before.find(n) != std::string_view::npos;
            })) {
          continue;
        }
      }
      text.replace(at, phrase.size(), std::string(phrase.size(), ' '));
      ++found;
    }
  }
  return text;
}

template <size_t N>
int Score(const std::string& text, const Cue (&cues)[N], std::vector<std::string>& found,
          const char* kind) {
  int score = 0;
  for (const Cue& cue : cues) {
    if (HasAtWordStart(text, cue.phrase)) {
      score += cue.weight;
      found.push_back(std::string(kind) + ":" + cue.phrase);
    }
  }
  return score;
}

}  // namespace

CueVerdict ClassifyByCues(const std::string& subject, const std::string& text) {
  const std::string all = Lower(subject + "\n" + text.substr(0, 20000));
  CueVerdict v;
  int satisfied = 0;
  const int unhappy =
      Score(WithoutSatisfiedComplaints(all, satisfied), kDissatisfaction, v.cues, "dissatisfied");
  if (satisfied > 0) v.cues.push_back("praise:no complaints");
  const int praise = Score(all, kPraise, v.cues, "praise") + 3 * satisfied;
  const int suggestion = Score(all, kSuggestion, v.cues, "suggestion");
  const int request = Score(all, kRequest, v.cues, "request");
  const int neighbour = Score(all, kNeighbour, v.cues, "neighbour");
  const bool about_landlord_handling = all.find("you have done nothing") != std::string::npos ||
                                       all.find("reported it") != std::string::npos ||
                                       all.find("reported this") != std::string::npos ||
                                       all.find("you haven't") != std::string::npos ||
                                       all.find("you have not") != std::string::npos;
  auto verdict = [&](const char* label, double confidence, bool review) {
    v.label = label;
    v.confidence = confidence;
    v.needs_review = review;
    return v;
  };
  // A neighbour's behaviour is ASB, unless the resident is unhappy with how we handled it.
  if (neighbour >= 4 && !(about_landlord_handling && unhappy >= 4)) {
    return verdict("asb", neighbour >= 7 ? 0.85 : 0.7, unhappy >= 4);
  }
  if (unhappy >= 6 && unhappy >= praise) {
    return verdict("complaint", unhappy >= 10 ? 0.9 : 0.75, praise > 2);
  }
  if (unhappy >= 3 && unhappy >= praise && unhappy >= suggestion) {
    // Dissatisfaction beside praise or a request: the Code says complaint; a person checks.
    return verdict("complaint", 0.6, praise > 0 || request > 0 || suggestion > 0);
  }
  if (praise >= 3 && praise >= suggestion)
    return verdict("compliment", praise >= 5 ? 0.85 : 0.7, unhappy > 0);
  if (suggestion >= 3) return verdict("comment", suggestion >= 6 ? 0.8 : 0.65, unhappy > 0);
  if (unhappy > 0) return verdict("complaint", 0.4, true);  // unsure: prefer complaint
  if (request >= 2) return verdict("service_request", request >= 5 ? 0.8 : 0.65, unhappy > 0);
  return verdict("other", 0.5, true);
}

}  // namespace complaints
