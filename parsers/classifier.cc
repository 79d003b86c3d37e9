#include "parsers/classifier.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace complaints {
namespace {

// How much the cue rules count beside the model: measured on the corpus's held-out slice
// (docs/measurements.md, The classifier).
constexpr double kCueWeight = 0.3;

std::string Percent(const std::string& label, double p) {
  char text[64];
  std::snprintf(text, sizeof text, "model:%s %.2f", label.c_str(), p);
  return text;
}

std::string BestOtherThanComplaint(const std::map<std::string, double>& p) {
  std::string best;
  double value = -1;
  for (const auto& [label, chance] : p) {
    if (label == "complaint" || chance <= value) continue;
    best = label;
    value = chance;
  }
  return best;
}

}  // namespace

Tier DecideTier(const std::string& best, const std::string& best_other, double complaint_chance,
                const ClassifierSettings& settings) {
  Tier tier;
  tier.label = "complaint";
  if (best != "complaint") {
    if (complaint_chance >= settings.complaint_floor) {
      tier.uncertain = true;  // a possible complaint: the Code's preference, with a person's eyes
      tier.alternative = best;
    } else {
      tier.label = best;
    }
  } else if (complaint_chance < settings.complaint_sure) {
    tier.uncertain = true;
    tier.alternative = best_other;
  }
  return tier;
}

CueVerdict Classify(const TextModel* model, const std::string& subject, const std::string& text,
                    const ClassifierSettings& settings) {
  CueVerdict cues = ClassifyByCues(subject, text);
  if (model == nullptr) {
    cues.cues.insert(cues.cues.begin(), "rules only (no model)");
    // The rules alone are sure of a complaint only as far as their own confidence goes.
    if (cues.label == "complaint" && cues.confidence < settings.complaint_sure) {
      cues.uncertain = true;
      cues.needs_review = true;
    }
    return cues;
  }
  const std::string input = subject.empty() ? text : subject + "\n" + text;
  const std::vector<LabelScore> scores = model->Scores(input.substr(0, 20000));
  std::map<std::string, double> p;
  for (const char* label : kClassifierLabels) p[label] = 0;
  for (const LabelScore& s : scores) p[s.label] += (1 - kCueWeight) * s.probability;
  if (scores.empty()) {  // nothing the model could read: the rules alone
    for (auto& [label, value] : p) value = (1 - kCueWeight) / std::size(kClassifierLabels);
  }
  // The rules' verdict as a distribution: its confidence on its label, the rest spread evenly.
  for (auto& [label, value] : p) {
    const double share = label == cues.label
                             ? cues.confidence
                             : (1 - cues.confidence) / (std::size(kClassifierLabels) - 1);
    value += kCueWeight * share;
  }
  const auto best = std::max_element(
      p.begin(), p.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  CueVerdict v;
  v.label = best->first;
  v.confidence = best->second;
  v.complaint_chance = p["complaint"];
  if (!scores.empty()) v.cues.push_back(Percent(scores.front().label, scores.front().probability));
  for (const std::string& c : cues.cues) v.cues.push_back(c);
  const Tier tier = DecideTier(best->first, BestOtherThanComplaint(p), p["complaint"], settings);
  if (tier.label != v.label) {
    // The Code's bias: a possible complaint is handled as one until a person says otherwise.
    v.cues.insert(v.cues.begin(), "possible complaint (" + Percent("complaint", p["complaint"]) +
                                      "), preferred over " + v.label);
    v.label = "complaint";
    v.confidence = p["complaint"];
    v.needs_review = true;
  }
  if (v.confidence < settings.review_below) v.needs_review = true;
  if (cues.label != v.label && cues.label != "other") v.needs_review = true;
  if (tier.uncertain) {
    v.uncertain = true;
    v.needs_review = true;
    v.alternative = tier.alternative;
  }
  return v;
}

}  // namespace complaints
