#include "parsers/tnef.h"

// libytnef's header is C without an extern "C" guard.
extern "C" {
#include <ytnef.h>
}

#include <cstring>
#include <memory>

#include "parsers/utf8.h"

namespace complaints {
namespace {

std::string Text(const variableLength* v) {
  if (v == nullptr || v->data == nullptr || v->size <= 0) return "";
  std::string s(reinterpret_cast<const char*>(v->data), static_cast<size_t>(v->size));
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

// UTF-16LE (PT_UNICODE) to UTF-8, for file names; unpaired surrogates become U+FFFD.
std::string Utf16ToUtf8(const variableLength* v) {
  std::string out;
  if (v == nullptr || v->data == nullptr) return out;
  for (int i = 0; i + 1 < v->size; i += 2) {
    unsigned c = v->data[i] | (v->data[i + 1] << 8);
    if (c == 0) break;
    if (c >= 0xD800 && c <= 0xDBFF && i + 3 < v->size) {
      const unsigned lo = v->data[i + 2] | (v->data[i + 3] << 8);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else {
        c = 0xFFFD;
      }
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    AppendUtf8(out, c);
  }
  return out;
}

// libytnef answers "not there" with MAPI_UNDEFINED ((variableLength*)-1), not null.
variableLength* Find(MAPIProps* props, unsigned int tag) {
  variableLength* v = MAPIFindProperty(props, tag);
  return v == MAPI_UNDEFINED ? nullptr : v;
}

}  // namespace

Result<TnefContents> UnpackTnef(std::string_view bytes) {
  using R = Result<TnefContents>;
  if (bytes.size() < 6) return R::Error("winmail.dat: too short to be TNEF");
  if (bytes.substr(0, 4) != std::string_view("\x78\x9f\x3e\x22", 4)) {  // 0x223E9F78, LE
    return R::Error("winmail.dat: not readable TNEF (no TNEF signature)");
  }
  // libytnef wants a writable buffer; it never reads past `size`.
  std::unique_ptr<BYTE[]> copy(new BYTE[bytes.size()]);
  std::memcpy(copy.get(), bytes.data(), bytes.size());
  TNEFStruct tnef;
  TNEFInitialize(&tnef);
  tnef.Debug = 0;
  const int rc = TNEFParseMemory(copy.get(), static_cast<long>(bytes.size()), &tnef);
  if (rc < 0) {
    TNEFFree(&tnef);
    return R::Error("winmail.dat: not readable TNEF (libytnef error " + std::to_string(rc) + ")");
  }
  TnefContents out;
  for (Attachment* a = tnef.starting_attach.next; a != nullptr; a = a->next) {
    if (a->FileData.data == nullptr || a->FileData.size <= 0) continue;
    TnefFile file;
    if (variableLength* name = Find(&a->MAPI, PROP_TAG(PT_UNICODE, PR_ATTACH_LONG_FILENAME))) {
      file.filename = Utf16ToUtf8(name);
    }
    if (file.filename.empty()) {
      file.filename = Text(Find(&a->MAPI, PROP_TAG(PT_STRING8, PR_ATTACH_LONG_FILENAME)));
    }
    if (file.filename.empty()) file.filename = Text(&a->Title);
    file.bytes.assign(reinterpret_cast<const char*>(a->FileData.data),
                      static_cast<size_t>(a->FileData.size));
    out.files.push_back(std::move(file));
  }
  out.body = Text(&tnef.body);
  if (out.body.empty()) {
    out.body = Text(Find(&tnef.MapiProperties, PROP_TAG(PT_STRING8, PR_BODY)));
  }
  TNEFFree(&tnef);
  return out;
}

}  // namespace complaints
