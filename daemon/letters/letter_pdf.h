// The letter we post to a resident who wrote to us on paper and gave no email address: a
// print-ready A4 PDF that staff print and post in a DL window envelope (A4 folded in three).
//
// Page 1 carries the landlord's address top right, the resident's address where the envelope's
// window shows it (20 mm from the left, 50 mm from the top), then our reference, the date and the
// body; a long body flows onto further pages, numbered "Page 2 of 3" from page 2. Text is laid out
// by pango (DejaVu Sans 11pt, 20 mm margins) and drawn on cairo's PDF surface, so the PDF has a
// real text layer and the font embedded.
//
// Pure apart from fontconfig: the same letter gives the same bytes (no creation date is written).
// Safe to call from several threads at once (pango keeps one font map per thread).
#pragma once

#include <string>
#include <vector>

#include "parsers/result.h"

namespace complaints {

struct PostalLetter {
  std::vector<std::string> sender_lines;     // the landlord's name and address, top right
  std::vector<std::string> recipient_lines;  // the resident's name and address, postcode last
  std::string date_line;                     // "Friday 4 December 2026"
  std::string reference;                     // "WW-2026-00042", printed as "Our reference: ..."
  std::string body;  // UTF-8 plain text; blank lines between paragraphs; line breaks are kept
};

// A4 PDF bytes. All text is UTF-8 and is drawn as it is, never read as markup ("<b>&" prints as
// those three characters); invalid UTF-8 becomes U+FFFD and control characters become spaces. An
// empty reference or date line is left out.
// Errors: no recipient address; an address longer than the envelope window shows (more than 7
// lines once wrapped at 85 mm), since the letter would go astray; cairo failing.
Result<std::string> RenderLetterPdf(const PostalLetter& letter);

}  // namespace complaints
