// Stand-ins for the MIME parser and the classifier, for tests of the logic above them.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <set>
#include <string>

#include "daemon/calendar/london_time.h"
#include "daemon/intake/intake.h"
#include "daemon/intake/mailbox_watcher.h"
#include "daemon/outgoing/outbox_sender.h"

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

// The letter reader stand-in: each scan's bytes are its text; "unreadable" fails the whole read.
class FakeLetterReader : public LetterReader {
 public:
  mutable int reads = 0;
  Result<LetterReading> Read(const std::vector<ScanFile>& files) const override {
    ++reads;
    LetterReading reading;
    for (const ScanFile& f : files) {
      if (f.bytes == "unreadable") {
        return Result<LetterReading>::Error(f.name + ": the PDF is protected by a password");
      }
      DocumentText doc;
      doc.file = f.name;
      doc.type = "image/png";
      doc.total_pages = 1;
      doc.pages.push_back({f.bytes, "ocr", 0, 0, 90});
      reading.documents.push_back(doc);
    }
    return reading;
  }
};

// Labels by the first word of the text, so each test says what it wants.
// The first word is the label; "uncertain LABEL ..." is a complaint unsure against LABEL.
class FakeClassifier : public MessageClassifier {
 public:
  Classification Classify(const std::string&, const std::string& text) const override {
    const std::string word = text.substr(0, text.find(' '));
    if (word == "uncertain") {
      const size_t from = word.size() + 1;
      const std::string alternative = text.substr(from, text.find(' ', from) - from);
      return {"complaint", 0.4, true, {"cue"}, true, alternative};
    }
    return {word,    0.9,   word == "complaint" && text.find("unsure") != std::string::npos,
            {"cue"}, false, ""};
  }
};

// Suspects every message whose raw bytes hold "SPAM-MARK"; counts what it was asked.
class FakeSpamFilter : public SpamFilter {
 public:
  mutable int asked = 0;
  SpamVerdict Check(const SpamInput& in) const override {
    ++asked;
    SpamVerdict v;
    if (in.raw.find("SPAM-MARK") != std::string_view::npos) {
      v.suspected = true;
      v.reasons = {"X-Spam-Flag: YES (test)"};
    }
    return v;
  }
};

// A mailbox in memory: folder -> uid -> raw. Can renumber (UIDVALIDITY) and fail moves.
class FakeSource : public MailSource {
 public:
  std::map<std::string, std::map<uint32_t, std::string>> folders;
  uint32_t uidvalidity = 100;
  uint32_t next_uid = 1;
  int failing_moves = 0;
  bool unreachable = false;

  void Deliver(const std::string& raw) { folders["INBOX"][next_uid++] = raw; }
  void Renumber() {
    std::map<uint32_t, std::string> renumbered;
    uint32_t uid = 1;
    for (const auto& [old, raw] : folders["INBOX"]) renumbered[uid++] = raw;
    folders["INBOX"] = renumbered;
    next_uid = uid;
    ++uidvalidity;
  }

  std::string Name() const override { return "fake:/INBOX"; }
  Result<uint32_t> Open() override {
    if (unreachable) return Result<uint32_t>::Error("connection refused");
    return uidvalidity;
  }
  Result<std::vector<uint32_t>> UidsAfter(uint32_t uid) override {
    std::vector<uint32_t> out;
    for (const auto& [u, raw] : folders["INBOX"]) {
      if (u > uid) out.push_back(u);
    }
    return out;
  }
  Result<std::vector<FetchedMessage>> Fetch(const std::vector<uint32_t>& uids) override {
    std::vector<FetchedMessage> out;
    for (uint32_t u : uids) {
      if (folders["INBOX"].count(u) && !unreadable.count(u)) {
        out.push_back({u, *ParseIsoInstant("2026-06-10T09:30:00Z"), folders["INBOX"][u]});
      }
    }
    return out;
  }
  Status Move(const std::vector<uint32_t>& uids, const std::string& folder) override {
    if (failing_moves > 0) {
      --failing_moves;
      return Status::Error("connection reset");
    }
    for (uint32_t u : uids) {
      folders[folder][u] = folders["INBOX"][u];
      folders["INBOX"].erase(u);
    }
    return Status::Ok();
  }
  Status WaitForMail(std::chrono::milliseconds) override {
    ++waits;
    if (stop_on_wait) *stop_on_wait = true;
    return Status::Ok();
  }
  int waits = 0;
  std::set<uint32_t> unreadable;              // listed, but the fetch does not return them
  std::atomic<bool>* stop_on_wait = nullptr;  // set at the first wait: ends Service::Run
};

// Records every message handed to it and answers with the outcomes it is told to, in order
// (then "sent").
class FakeTransport : public MailTransport {
 public:
  std::deque<SendOutcome> script;
  std::vector<std::string> delivered;
  int attempts = 0;
  SendOutcome Send(const OutboxItem& item) override {
    ++attempts;
    if (!script.empty()) {
      SendOutcome next = script.front();
      script.pop_front();
      if (next.kind != SendOutcome::Kind::kSent) return next;
    }
    delivered.push_back(item.message_id);
    return {SendOutcome::Kind::kSent, "250 ok"};
  }
};

}  // namespace complaints::testing
