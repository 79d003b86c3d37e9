// The facts in a resident's posted letter, read from its OCR text: who wrote it, where they live,
// how to reach them, which case or tenancy it is about and when it is dated; and, from the staff
// note that forwarded the scan, whether it is a letter at all and when it arrived (the complaint's
// clock starts then, not when staff got round to scanning it). Pure: no I/O, no clock.
//
// OCR text is noisy (stray spaces, `|` for I, `0` for O in words, lines broken or run together),
// so matching is tolerant; but a value is returned only when the text supports it: an empty field
// means "not found or not sure", never a guess. Never throws.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaints {

struct LetterFields {
  // The writer, e.g. "Mrs Joan Smith"; "" when not found.
  std::string name;
  // The writer's postal address lines, postcode line excluded, in order.
  std::vector<std::string> address;
  // UK postcode normalised: upper case, one space ("SW1A 1AA").
  std::string postcode;
  // First email address that is the writer's (not the landlord's).
  std::string email;
  // UK phone number as digits with a leading + kept ("07700900123", "+447700900123").
  std::string phone;
  // Case references (by reference_pattern) then tenancy/account refs ("T-12345"), de-duplicated,
  // in order.
  std::vector<std::string> references;
  // The date the letter is dated.
  std::optional<std::chrono::year_month_day> letter_date;
};

// A well-formed UK postcode as ExtractLetterFields normalises it ("LS6 2QT"). False for one read
// with an OCR slip it tolerated ("LS6 20T"): a person should check it before posting anything.
bool ValidUkPostcode(std::string_view postcode);

// `reference_pattern`: ECMAScript regex of the landlord's case references (e.g.
// "WW-[0-9]{4}-[0-9]{5}"), may be empty.
// `own_domains`: the landlord's email domains (lower case), whose addresses are never the writer's.
LetterFields ExtractLetterFields(std::string_view text, const std::string& reference_pattern,
                                 const std::vector<std::string>& own_domains = {});

// The date staff give for when a letter arrived, from their forwarding note: "received 14/11",
// "Date received: 14 November 2026", "rec'd 3rd Dec", "arrived by post on 2.12.26", "received
// today"/"received yesterday" (relative to `forwarded`). UK day-month order. A date without a year
// takes the year that puts it on or before `forwarded` (so "received 30/12" forwarded on 2 Jan 2027
// is 30 Dec 2026). A date after `forwarded` or more than 366 days before it is not believed:
// nullopt.
std::optional<std::chrono::year_month_day> ReceivedDateFromNote(
    std::string_view note, std::chrono::year_month_day forwarded);

// Whether staff's subject or note says the attachment is a posted letter: "scanned letter",
// "letter received", "by post", "posted complaint", "hard copy", "see attached letter", "complaint
// letter", ...
bool NoteSaysLetter(std::string_view subject_and_note);

// A salutation or a sign-off: the text reads like a letter even when staff's note does not say so.
bool ReadsLikeALetter(std::string_view text);

// The letter from its salutation on, without the addresses above it (what the classifier reads);
// the whole text when it has no salutation.
std::string LetterBody(std::string_view text);

}  // namespace complaints
