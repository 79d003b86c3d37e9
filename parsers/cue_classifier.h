// A first classifier made of explainable cue rules: what kind of message a resident sent, with
// the cues that decided it. Biased the way the Housing Ombudsman's Code asks: any sign of
// dissatisfaction with the landlord's service, staff or contractors makes it a complaint, even
// inside a repair request, in polite words, or behind sarcastic thanks; when unsure between a
// complaint and anything else it says complaint and asks for review. Pure.
//
// The statistical model of issue 5 (fastText) is to sit beside these rules; until then this is
// what the daemon uses, and its limits are stated in the README.
#pragma once

#include <string>
#include <vector>

namespace complaints {

struct CueVerdict {
  std::string label;  // complaint | comment | compliment | service_request | asb | other
  double confidence = 0;
  bool needs_review = false;
  std::vector<std::string> cues;
};

CueVerdict ClassifyByCues(const std::string& subject, const std::string& text);

}  // namespace complaints
