// libFuzzer target: any bytes as HTML through HtmlToText (libxml2's HTML parser in SAX mode, our
// entity and Windows-1252 fix-ups, the tidying) and then NewText must give text, never a crash, a
// hang, a leak or undefined behaviour. The mail_parser target reaches this code only through
// HTML-only messages; this one reaches it directly. Built by scripts/fuzz (clang), not by CMake.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "parsers/mail_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  const std::string text = complaints::HtmlToText(html);
  complaints::NewText(text);
  return 0;
}
