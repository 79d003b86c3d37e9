// A first classifier made of explainable cue rules: what kind of message a resident sent, with
// the cues that decided it. Biased the way the Housing Ombudsman's Code asks: any sign of
// dissatisfaction with the landlord's service, staff or contractors makes it a complaint, even
// inside a repair request, in polite words, or behind sarcastic thanks; when unsure between a
// complaint and anything else it says complaint and asks for review. Pure.
//
// The daemon's classifier (parsers/classifier.h) weighs these rules beside two statistical models;
// alone, they are what `complaintsctl classify --rules-only` answers with.
#pragma once

#include <string>
#include <vector>

namespace complaints {

struct CueVerdict {
  std::string label;  // complaint | comment | compliment | service_request | asb | other
  double confidence = 0;
  bool needs_review = false;
  std::vector<std::string> cues;
  // The combined chance of a complaint that the Code's floor is compared with (Classify, with a
  // model; 0 from the rules alone).
  double complaint_chance = 0;
  // Whether the choice between complaint and anything else is sure enough to act on (Classify's
  // tiers): an uncertain message gets a neutral receipt and a person's eyes before a typed reply.
  bool uncertain = false;
  // When uncertain: the likeliest label other than complaint (what staff are asked to choose
  // between), else "".
  std::string alternative;
};

CueVerdict ClassifyByCues(const std::string& subject, const std::string& text);

}  // namespace complaints
