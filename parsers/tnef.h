// Outlook's winmail.dat (TNEF, application/ms-tnef): the files and text inside it, through
// libytnef. Pure: bytes in, parts out; a damaged file is an error value, never a crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parsers/result.h"

namespace complaints {

struct TnefFile {
  std::string filename;  // the long file name when Outlook gave one, else the short title
  std::string bytes;
};

struct TnefContents {
  std::vector<TnefFile> files;
  std::string body;  // the plain-text body Outlook put inside, when there is one
};

Result<TnefContents> UnpackTnef(std::string_view bytes);

}  // namespace complaints
