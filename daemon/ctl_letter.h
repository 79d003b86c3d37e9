// `complaintsctl letter [--json] [--policy FILE] [--model FILE] [--max-pages N] [--reader PROGRAM]
// FILE...`: what the daemon would read from scanned or typed letters (PDF, TIFF, PNG, JPEG) and
// what it would take from them, without touching any case. Each file is read by complaintsd-letter
// in a child process under the same limits the daemon uses. With --json, one JSON object per file:
//   {"file", "pages", "text", "method": "text-layer"|"ocr"|"text-layer+ocr", "name", "address",
//    "postcode", "email", "phone", "references", "letter_date", "label", "confidence",
//    "needs_review", "warnings"}  or  {"file", "error"}
// Exit 0 when every file was read, 1 when one could not be, 2 for bad arguments.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

int RunLetterCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
