// Raw bytes of one email to what complaintsd needs to know about it: decoded headers, addresses,
// dates and threading IDs, the text (plain preferred, HTML made readable, every charset to UTF-8),
// the sender's new words, attachments, forwarded messages, whether a machine sent it, and the case
// references it mentions. Built on mimetic for the MIME structure. Pure: no I/O, no clock.
//
// Never throws and never crashes on any input: beyond the limits, or when nothing can be made of
// the bytes, it returns an error value saying why (the daemon then quarantines the message).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/automatic_mail.h"
#include "parsers/result.h"

namespace complaints {

struct ParseLimits {
  size_t max_bytes = 50 * 1024 * 1024;
  int max_depth = 8;    // forwarded-within-forwarded and nested multiparts
  int max_parts = 500;  // MIME parts in all
};

struct ParsedAddress {
  std::string name;     // decoded display name, may be empty
  std::string address;  // local@domain as written
};

struct ParsedAttachment {
  std::string filename;
  std::string content_type;  // declared, lower case
  size_t size = 0;           // decoded bytes
  std::string sniffed_type;  // from the bytes themselves ("application/pdf", ...), "" when unknown
  std::string bytes;         // decoded
};

// The type the bytes themselves announce (their magic numbers): PDF, PNG, JPEG, TIFF, GIF, BMP,
// ZIP (docx, xlsx), OLE2 (doc, msg), TNEF. "" when none: the declared type is all there is.
std::string SniffContentType(std::string_view bytes);

struct ParsedMail {
  std::string message_id;  // without <>; "" when the message has none
  std::optional<std::chrono::sys_seconds> date;
  ParsedAddress from;
  std::optional<ParsedAddress> sender;
  std::optional<ParsedAddress> reply_to;
  std::vector<ParsedAddress> to;
  std::vector<ParsedAddress> cc;
  std::string subject;
  std::string in_reply_to;
  std::vector<std::string> references;
  std::string text;      // the body as text
  std::string new_text;  // the sender's own words (no quoted history or signature)
  std::vector<ParsedAttachment> attachments;
  std::vector<ParsedMail> forwarded;  // attached messages (message/rfc822), parsed in turn
  AutomaticVerdict automatic;
  std::vector<std::string> case_refs;  // found in the subject and the new text, in order
  std::vector<std::string> warnings;   // what was odd but survivable ("no text part", ...)
};

// `reference_pattern` is an ECMAScript regular expression for case references (the policy's);
// empty finds none.
Result<ParsedMail> ParseMail(std::string_view raw, const std::string& reference_pattern = "",
                             const ParseLimits& limits = {});

// RFC 5322 dates and the common malformed forms (no weekday, two-digit years, named zones,
// missing seconds, extra comments).
std::optional<std::chrono::sys_seconds> ParseMailDate(std::string_view text);
// An address-list header value (already decoded or raw) to addresses.
std::vector<ParsedAddress> ParseAddressList(std::string_view value);

}  // namespace complaints
