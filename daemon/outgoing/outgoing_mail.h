// Every message complaintsd sends, as RFC 5322 bytes: UTF-8 throughout, RFC 2047 encoded and folded
// headers, a plain-text part and an HTML part (quoted-printable), Auto-Submitted on automatic mail
// (RFC 3834), and a signed Message-ID that names the case, so replies find their case even when
// the resident changes the subject.
//
// Nothing from a message or a person can add a header: every address is validated, and CR, LF and
// other control characters in any header text are replaced before encoding. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/cases/case_record.h"
#include "parsers/result.h"

namespace complaints {

struct MailAddress {
  std::string name;  // display name, any UTF-8
  std::string address;
};

// addr-spec only: local@domain, printable ASCII, no spaces, quotes, angle brackets or controls,
// at most 254 characters.
Status ValidateAddress(std::string_view address);

// A file sent with a message (a print-ready letter): base64, its name encoded per RFC 2231.
struct MailAttachment {
  std::string filename;      // any UTF-8; control characters and quotes are replaced
  std::string content_type;  // "application/pdf": type/subtype of letters, digits and .+-
  std::string bytes;
};

struct MailDraft {
  MailAddress from;
  std::vector<MailAddress> to;
  std::vector<MailAddress> cc;
  std::optional<MailAddress> reply_to;
  std::string subject;
  std::string text;        // the plain-text part
  std::string html;        // the HTML part; empty: made from the text
  std::string message_id;  // without angle brackets
  std::string in_reply_to;
  std::vector<std::string> references;
  bool automatic = true;  // Auto-Submitted: auto-replied, X-Auto-Response-Suppress
  Instant date{};
  std::vector<MailAttachment> attachments;  // none: multipart/alternative; some: multipart/mixed
};

Result<std::string> ComposeMail(const MailDraft& draft);

// RFC 2047 encoded words (UTF-8, base64) when `text` is not plain printable ASCII; control
// characters become spaces first.
std::string EncodeHeaderText(std::string_view text);
// "Name: value" folded at white space to lines of at most 78 characters, ending in CRLF.
std::string FoldHeader(std::string_view name, std::string_view value);
std::string QuotedPrintable(std::string_view utf8);
// "Sun, 22 Nov 2026 16:40:00 +0000", in Europe/London time.
std::string Rfc5322Date(Instant at);
// The text as minimal, escaped HTML: paragraphs and line breaks kept.
std::string TextToHtml(std::string_view text);

// Makes and checks our own Message-IDs: "cd.REF.UNIQUE.SIG@domain", SIG a truncated
// HMAC-SHA256 of "REF.UNIQUE" under the configured key.
class MessageIdSigner {
 public:
  // Precondition: key is non-empty (the configuration refuses an empty key).
  MessageIdSigner(std::string key, std::string domain);

  std::string Make(const std::string& reference, const std::string& unique) const;
  // The case reference inside one of our own Message-IDs (with or without <>), or nothing when the
  // ID is not ours or its signature does not match.
  std::optional<std::string> ReferenceOf(std::string_view message_id) const;

 private:
  std::string key_;
  std::string domain_;
};

}  // namespace complaints
