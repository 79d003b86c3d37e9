// Stand-ins for the MIME parser and the classifier, for tests of the logic above them.
#pragma once

#include <map>
#include <string>

#include "daemon/intake.h"

namespace complaints::testing {

// The parser stand-in: raw bytes are a key into a table of facts; "unreadable" is an error.
class FakeReader : public MailReader {
 public:
  std::map<std::string, MailFacts> table;
  Result<MailFacts> Read(std::string_view raw) const override {
    const auto it = table.find(std::string(raw));
    if (it == table.end()) return Result<MailFacts>::Error("no MIME boundary found");
    return it->second;
  }
};

// Labels by the first word of the text, so each test says what it wants.
class FakeClassifier : public MessageClassifier {
 public:
  Classification Classify(const std::string&, const std::string& text) const override {
    const std::string word = text.substr(0, text.find(' '));
    return {word, 0.9, word == "complaint" && text.find("unsure") != std::string::npos, {"cue"}};
  }
};

}  // namespace complaints::testing
