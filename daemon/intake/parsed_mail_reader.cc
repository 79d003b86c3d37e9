#include "daemon/intake/parsed_mail_reader.h"

namespace complaints {

ParsedMailReader::ParsedMailReader(std::string reference_pattern, ParseLimits limits)
    : pattern_(std::move(reference_pattern)), limits_(limits) {}

Result<MailFacts> ParsedMailReader::Read(std::string_view raw) const {
  Result<ParsedMail> parsed = ParseMail(raw, pattern_, limits_);
  if (!parsed) return Result<MailFacts>(parsed.status());
  const ParsedMail& m = *parsed;
  if (m.from.address.empty() && !m.automatic.is) {
    return Result<MailFacts>::Error("no sender address (From) to reply to");
  }
  MailFacts f;
  f.message_id = m.message_id;
  f.from = {m.from.name, m.from.address};
  if (m.reply_to) f.reply_to = MailAddress{m.reply_to->name, m.reply_to->address};
  f.subject = m.subject;
  f.new_text = m.new_text;
  // A message that is only a forward (no words of its own) is judged by what it forwards.
  if (f.new_text.empty() && !m.forwarded.empty()) f.new_text = m.forwarded.front().new_text;
  f.in_reply_to = m.in_reply_to;
  f.references = m.references;
  f.automatic = m.automatic.is;
  f.automatic_reason = m.automatic.reason;
  f.original_message_id = m.automatic.original_message_id;
  f.case_refs = m.case_refs;
  f.attachments = m.attachments.size();
  if (m.date) f.date = *m.date;
  // Scans: what the bytes say, or failing that what the sender declared.
  for (const ParsedAttachment& a : m.attachments) {
    const std::string& type = a.sniffed_type.empty() ? a.content_type : a.sniffed_type;
    if (type == "application/pdf" || type == "image/tiff" || type == "image/jpeg" ||
        type == "image/png") {
      f.scans.push_back({a.filename, a.bytes});
    }
  }
  return f;
}

}  // namespace complaints
