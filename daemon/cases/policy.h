// A landlord's complaints policy: its stages and timescales, the optional pre-formal step, what it
// excludes, its reference-number format, its calendar and the Ombudsman's details.
//
// Policies are JSON files in config/policies/ (one per landlord). Loading validates every field
// and names the key at fault; CheckAgainstCode lists where a policy departs from the Housing
// Ombudsman's Complaint Handling Code 2024, paragraph by paragraph. A Policy is a plain value.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "daemon/calendar/bank_holidays.h"
#include "parsers/result.h"

namespace complaints {

enum class ResponseClock { kReceipt, kAcknowledgement };

struct PanelRule {
  int members = 0;
  std::vector<std::string> roles;  // "resident|board-member": either role fills the seat
  bool resident_needs_consent = false;
};

struct StagePolicy {
  std::string name;
  std::string handler;                  // who handles, in words
  std::optional<int> acknowledge_days;  // absent: the response is the acknowledgement
  int respond_days = 0;
  ResponseClock response_clock = ResponseClock::kAcknowledgement;
  std::optional<int> max_extension_days;      // absent: the policy sets no cap
  std::optional<int> escalation_window_days;  // to ask for the next stage; absent: no limit
  std::optional<PanelRule> panel;
  bool direct_entry = false;  // a complaint may start at this stage
};

struct PreFormalPolicy {
  std::string name;  // "Quick fix", "Informal stage"
  std::string kind;  // "quick_fix" or "informal"
  std::string handler;
  std::optional<int> resolve_within_days;
  std::optional<int> escalate_within_days;
};

struct RefusalReason {
  std::string code;
  std::string text;  // told to the resident
};

struct OmbudsmanDetails {
  std::string name, address, phone, email, website;
  bool in_acknowledgement = true;
  bool designated_person_step = false;
  std::optional<int> wait_weeks;
  std::string referral_limit;  // in words, for letters
  // "final_response" (the Code's reading) or "original_complaint" (pre-2022 leaflets).
  std::string referral_from = "final_response";
};

struct Policy {
  std::string id;
  std::string name;
  std::string landlord;
  std::string source;
  std::string reference_format;  // "WW-{year}-{seq:5}"
  Division division = Division::kEnglandAndWales;
  std::chrono::minutes close_of_business{17 * 60};
  std::optional<PreFormalPolicy> pre_formal;
  std::vector<StagePolicy> stages;
  std::optional<int> exclusion_max_age_months;
  std::vector<RefusalReason> refusal_reasons;
  bool compensation_financial_loss_only = false;
  bool promises_late_notice = false;  // tells the resident in writing when a target will be missed
  OmbudsmanDetails ombudsman;
  std::vector<std::string> notes;

  const RefusalReason* FindRefusalReason(const std::string& code) const;
};

// `source` names the input in errors ("westway.json: stages[1].respond_days: ...").
Result<Policy> ParsePolicy(const std::string& json, const std::string& source);
Result<Policy> LoadPolicy(const std::string& path);

// The reference for the n-th case of `year`, e.g. ("WW-{year}-{seq:5}", 2026, 42) -> WW-2026-00042.
std::string FormatReference(const std::string& format, int year, long sequence);
// A regular expression (ECMAScript) matching any reference of this format.
std::string ReferencePattern(const std::string& format);

struct CodeConflict {
  std::string paragraph;  // "5.2", "6.4", ...
  std::string message;
};

// Every departure from the Complaint Handling Code 2024; empty when the policy complies.
std::vector<CodeConflict> CheckAgainstCode(const Policy& policy);

// The policy's timeline in plain words, one step a line, for staff.
std::string DescribePolicy(const Policy& policy);

}  // namespace complaints
