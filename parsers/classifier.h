// The classifier the daemon uses: the models' probabilities (fastText's and the word model's,
// averaged in TextModel::Scores), with the cue rules on top where they measurably help, and the
// Complaint Handling Code's bias: when the model is unsure between a complaint and anything else,
// the answer is complaint, flagged for review. Three tiers, by the combined chance of a complaint:
//
//   below complaint_floor              the label is acted on (a typed reply: comment, repair, ...)
//   complaint_floor .. complaint_sure  uncertain: the case opens as a complaint (its clocks run
//   from
//                                      receipt) but a person confirms or corrects the label first
//   complaint_sure and the top label   a complaint, acknowledged as one
//
// Pure.
#pragma once

#include <string>

#include "parsers/cue_classifier.h"
#include "parsers/text_model.h"

namespace complaints {

// The six labels, in the order reports list them.
inline constexpr const char* kClassifierLabels[] = {"complaint",       "comment", "compliment",
                                                    "service_request", "asb",     "other"};

struct ClassifierSettings {
  // A message whose complaint probability reaches this is a complaint, whatever else is likelier.
  double complaint_floor = 0.13;
  // A complaint is acted on without a person's confirmation only when it is the likeliest label
  // and its chance reaches this; otherwise a possible complaint is uncertain.
  double complaint_sure = 0.60;
  // Below this confidence (or when the floor above decided) the case is flagged for review.
  double review_below = 0.60;
};

// What the tiers above make of a verdict: the label acted on, and whether a person settles it.
struct Tier {
  std::string label;        // complaint, or the likeliest label when below the floor
  bool uncertain = false;   // a neutral receipt and the triage list
  std::string alternative;  // when uncertain: the likeliest label other than complaint
};
// `best` is the likeliest label, `best_other` the likeliest other than complaint. Classify decides
// through this; the measurements replay it under other thresholds.
Tier DecideTier(const std::string& best, const std::string& best_other, double complaint_chance,
                const ClassifierSettings& settings);

// `model` may be null: the cue rules alone then decide (and say so in the cues).
CueVerdict Classify(const TextModel* model, const std::string& subject, const std::string& text,
                    const ClassifierSettings& settings = {});

}  // namespace complaints
