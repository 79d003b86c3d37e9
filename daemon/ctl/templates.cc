#include "daemon/ctl/commands.h"

#include <ostream>

#include "daemon/outgoing/mail_templates.h"

namespace complaints {

int RunTemplatesCommand(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) {
  constexpr const char* kUsage =
      "usage: complaintsctl templates check [DIR]      every template parses and renders\n"
      "       complaintsctl templates show NAME [DIR]  one message with sample values\n";
  const std::string default_dir = std::string(COMPLAINTSD_SOURCE_DIR) + "/templates";
  const bool check = !args.empty() && args[0] == "check" && args.size() <= 2;
  const bool show = !args.empty() && args[0] == "show" && (args.size() == 2 || args.size() == 3);
  if (!check && !show) {
    err << kUsage;
    return 2;
  }
  const std::string dir = check ? (args.size() == 2 ? args[1] : default_dir)
                                : (args.size() == 3 ? args[2] : default_dir);
  Result<MailTemplates> set = MailTemplates::Load(dir);
  if (!set) {
    err << "complaintsctl templates: " << set.error() << '\n';
    return 1;
  }
  if (check) {
    out << "ok\n";
    return 0;
  }
  Result<RenderedMail> mail = set->Render(args[1], SampleTemplateValues());
  if (!mail) {
    err << "complaintsctl templates: " << mail.error() << '\n';
    return 1;
  }
  out << "Subject: " << mail->subject << "\n\n" << mail->text;
  return 0;
}

}  // namespace complaints
