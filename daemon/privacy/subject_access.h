// A subject access request: everything held about one person, written to a folder for a person
// to check and send. The folder gets export.json (keys "person", "cases", "messages" and
// "redact"), a readable index.html, every message they sent or were sent as it was stored
// (messages/in-ID.eml, messages/out-ID.eml) and the documents kept on their cases (scanned
// letters, cases/REF/...).
//
// Their cases are those where they are the resident or the representative: each with its stages,
// deadlines, actions and history (staff notes included). Their messages are the mail on those
// cases and any other stored mail whose From, Sender, Reply-To, To or Cc is one of their
// addresses (a reply they sent on a neighbour's thread, a message they were copied into); such a
// message is exported without the other person's case. Other people's personal data inside what
// is exported (addresses in the headers that are neither theirs nor ours, other contacts' names
// and addresses found in the texts) is listed under "redact" for a person to remove before sending;
// free text may hold more than that list finds, and says so.
#pragma once

#include <string>
#include <vector>

#include "daemon/cases/case_store.h"
#include "daemon/privacy/privacy_store.h"

namespace complaints {

struct RedactionItem {
  std::string where;  // "case WW-2026-0001 summary", "message in-12 headers", ...
  std::string what;   // "an email address that is not theirs", "another contact's name"
  std::string value;  // the text to look for
};

struct ExportSummary {
  std::vector<std::string> cases;  // references
  int messages = 0;
  int documents = 0;
  std::vector<RedactionItem> redact;
};

// Writes the export into `dir` (created, mode 0700; it must not exist or be empty).
// `reference_pattern` is the policy's (for reading mail). Reads only; records nothing.
Result<ExportSummary> ExportPerson(CaseStore& cases, PrivacyStore& privacy, const PersonIds& person,
                                   const std::string& dir, const std::string& reference_pattern,
                                   Instant now);

}  // namespace complaints
