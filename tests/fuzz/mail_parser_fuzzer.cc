// libFuzzer target: any bytes through the MIME parser and the cue rules must give a value or an
// error, never a crash, a hang, a leak or undefined behaviour. Built by scripts/fuzz (clang), not
// by CMake.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/cue_classifier.h"
#include "parsers/mail_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  complaints::ParseLimits limits;
  limits.max_bytes = 1 << 20;
  complaints::Result<complaints::ParsedMail> mail =
      complaints::ParseMail(raw, "WW-[0-9]{4}-[0-9]{5,}", limits);
  if (mail) complaints::ClassifyByCues(mail->subject, mail->new_text);
  return 0;
}
