#include "daemon/ctl/commands.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "daemon/base/command_line.h"
#include "daemon/calendar/london_time.h"
#include "daemon/cases/policy.h"
#include "daemon/ctl/session.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

nlohmann::json Address(const ParsedAddress& a) {
  return {{"name", a.name}, {"address", a.address}};
}

nlohmann::json ToJson(const std::string& file, const ParsedMail& m) {
  nlohmann::json to = nlohmann::json::array();
  for (const ParsedAddress& a : m.to) to.push_back(Address(a));
  nlohmann::json attachments = nlohmann::json::array();
  for (const ParsedAttachment& a : m.attachments) {
    attachments.push_back(
        {{"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size}});
  }
  return {{"file", file},
          {"ok", true},
          {"message_id", m.message_id},
          {"date", m.date ? nlohmann::json(FormatLondonIso(*m.date)) : nlohmann::json(nullptr)},
          {"from", Address(m.from)},
          {"to", to},
          {"subject", m.subject},
          {"text", m.text},
          {"new_text", m.new_text},
          {"attachments", attachments},
          {"forwarded", m.forwarded.size()},
          {"automatic",
           {{"is", m.automatic.is},
            {"reason", m.automatic.reason},
            {"original_message_id", m.automatic.original_message_id}}},
          {"in_reply_to", m.in_reply_to},
          {"references", m.references},
          {"case_refs", m.case_refs},
          {"warnings", m.warnings}};
}

}  // namespace

int RunParseCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  constexpr const char* kUsage = "usage: complaintsctl parse [--json] [--policy FILE] FILE...\n";
  Result<CommandLine> line = CommandLine::Parse(args, {{"policy", "db", "config", "as"}, {"json"}});
  if (!line || line->positional().empty()) {
    err << "complaintsctl parse: " << (line ? "name at least one file" : line.error()) << '\n'
        << kUsage;
    return 2;
  }
  Result<Policy> policy = LoadPolicy(line->Get("policy").value_or(DefaultPolicyPath()));
  if (!policy) {
    err << "complaintsctl parse: " << policy.error() << '\n';
    return 2;
  }
  const std::string pattern = ReferencePattern(policy->reference_format);
  int code = 0;
  for (const std::string& file : line->positional()) {
    std::ifstream in(file, std::ios::binary);
    Result<ParsedMail> mail = Result<ParsedMail>::Error("cannot be read");
    if (in) {
      std::ostringstream bytes;
      bytes << in.rdbuf();
      mail = ParseMail(bytes.str(), pattern);
    }
    if (!mail) code = 1;
    if (line->Has("json")) {
      out << (mail ? ToJson(file, *mail)
                   : nlohmann::json{{"file", file}, {"ok", false}, {"error", mail.error()}})
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          << '\n';
    } else if (!mail) {
      out << file << ": error: " << mail.error() << '\n';
    } else {
      out << file << ": "
          << (mail->automatic.is ? "automatic (" + mail->automatic.reason + ")"
                                 : std::string("from ") + mail->from.address)
          << ", subject \"" << mail->subject << "\", " << mail->new_text.size()
          << " characters of new text, " << mail->attachments.size() << " attachments\n";
    }
  }
  return code;
}

}  // namespace complaints
