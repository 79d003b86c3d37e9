// The MIME parser (parsers/mail_parser) as intake's MailReader, with the policy's reference
// pattern.
#pragma once

#include <string>

#include "daemon/intake/intake.h"
#include "parsers/mail_parser.h"

namespace complaints {

class ParsedMailReader : public MailReader {
 public:
  explicit ParsedMailReader(std::string reference_pattern, ParseLimits limits = {});
  Result<MailFacts> Read(std::string_view raw) const override;

 private:
  std::string pattern_;
  ParseLimits limits_;
};

}  // namespace complaints
