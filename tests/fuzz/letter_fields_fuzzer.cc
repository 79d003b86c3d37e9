// libFuzzer target: any text through the letter-field reader (OCR text of a stranger's scan) and
// the received-date reader (staff's note) must give a value, never a crash, a hang, a leak or
// undefined behaviour. Built by scripts/fuzz (clang), not by CMake.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/letter_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  complaints::ExtractLetterFields(text, "WW-[0-9]{4}-[0-9]{5,}", {"westway.example"});
  complaints::ReceivedDateFromNote(text.substr(0, 2000),
                                   std::chrono::year_month_day{std::chrono::year{2026} / 11 / 29});
  return 0;
}
