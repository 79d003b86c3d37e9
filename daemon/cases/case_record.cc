#include "daemon/cases/case_record.h"

#include <algorithm>
#include <array>
#include <utility>

namespace complaints {
namespace {

constexpr std::array<std::pair<CaseType, std::string_view>, 5> kTypes{{
    {CaseType::kComplaint, "complaint"},
    {CaseType::kComment, "comment"},
    {CaseType::kCompliment, "compliment"},
    {CaseType::kServiceRequest, "service_request"},
    {CaseType::kAsb, "asb"},
}};

constexpr std::array<std::pair<Channel, std::string_view>, 5> kChannels{{
    {Channel::kEmail, "email"},
    {Channel::kLetter, "letter"},
    {Channel::kPhone, "phone"},
    {Channel::kVisit, "visit"},
    {Channel::kWeb, "web"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
Result<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name,
                 const char* what) {
  std::string choices;
  for (const auto& [v, known] : table) {
    if (known == name) return v;
    choices += (choices.empty() ? "" : ", ") + std::string(known);
  }
  return Result<E>::Error("unknown " + std::string(what) + " '" + std::string(name) +
                          "': use one of " + choices);
}

}  // namespace

std::string_view CaseTypeName(CaseType type) { return NameOf(kTypes, type); }
Result<CaseType> ParseCaseType(std::string_view name) { return Lookup(kTypes, name, "type"); }
std::string_view ChannelName(Channel channel) { return NameOf(kChannels, channel); }
Result<Channel> ParseChannel(std::string_view name) { return Lookup(kChannels, name, "channel"); }

StageRecord* CaseRecord::CurrentStage() {
  for (auto it = stages.rbegin(); it != stages.rend(); ++it) {
    if (it->number == stage) return &*it;
  }
  return nullptr;
}

const StageRecord* CaseRecord::CurrentStage() const {
  return const_cast<CaseRecord*>(this)->CurrentStage();
}

Deadline* CaseRecord::OpenDeadline(std::string_view kind) {
  for (Deadline& d : deadlines) {
    if (d.kind == kind && d.stage == stage && d.open()) return &d;
  }
  return nullptr;
}

const Deadline* CaseRecord::OpenDeadline(std::string_view kind) const {
  return const_cast<CaseRecord*>(this)->OpenDeadline(kind);
}

bool CaseRecord::HasFlag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

}  // namespace complaints
