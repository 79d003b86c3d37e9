#include "parsers/mail_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <exception>
#include <new>
#include <string_view>
#include <vector>

#include "parsers/ascii_case.h"
#include "parsers/utf8.h"

namespace complaints {
namespace {

// HTML to text goes through libxml2's HTML parser in SAX mode: the text is gathered as the parser
// reads, and no tree is built (so hostile nesting costs no stack and little memory). It replaced
// gumbo, whose HTML5 tree building took four times as long for the same words (see
// docs/measurements.md's parse benchmark); two HTML5 rules libxml2 2.9 lacks are applied here
// (CharacterReference and WithoutC1Controls).

enum class Kind { kInline, kBlock, kBreak, kItem, kHidden };

Kind KindOf(const xmlChar* tag) {
  // libxml2 gives HTML element names in lower case.
  const std::string_view name(reinterpret_cast<const char*>(tag));
  if (name == "br") return Kind::kBreak;
  if (name == "li") return Kind::kItem;
  // <noscript> is shown: a mail reader runs no scripts, so that is what the resident saw.
  if (name == "script" || name == "style" || name == "head") return Kind::kHidden;
  for (std::string_view block : {"p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                 "ul", "ol", "blockquote", "pre", "hr", "title"}) {
    if (name == block) return Kind::kBlock;
  }
  return Kind::kInline;
}

struct SaxText {
  htmlParserCtxtPtr context = nullptr;
  std::exception_ptr failure;  // thrown in a callback: kept, the parse stopped, rethrown after
  std::string out;
  int hidden = 0;  // how many head, script or style elements we are inside
};

// Runs a callback's work; an exception (out of memory) must not unwind through libxml2's C
// frames, so it is kept, the parse stopped, and HtmlToText rethrows it.
template <typename Fn>
void Guarded(void* data, Fn fn) {
  auto* t = static_cast<SaxText*>(data);
  if (t->failure) return;
  try {
    fn(*t);
  } catch (...) {
    t->failure = std::current_exception();
    xmlStopParser(t->context);
  }
}

// Blocks and list items start on a line of their own and end it; <br> only breaks it.
void StartElement(SaxText& t, const xmlChar* name) {
  const Kind kind = KindOf(name);
  if (kind == Kind::kHidden) {
    ++t.hidden;
  } else if (t.hidden == 0 && kind != Kind::kInline) {
    t.out += kind == Kind::kItem ? "\n- " : "\n";
  }
}

void EndElement(SaxText& t, const xmlChar* name) {
  const Kind kind = KindOf(name);
  if (kind == Kind::kHidden) {
    if (t.hidden > 0) --t.hidden;
  } else if (t.hidden == 0 && (kind == Kind::kBlock || kind == Kind::kItem)) {
    t.out += '\n';
  }
}

// HTML5 reads the old Latin-1 entities without their semicolon ("&nbsp|", "&copy 2002", even
// "&nbspHelp"); libxml2 2.9 passes them on as "&" and then the name, which is when this decodes
// the longest such entity the name starts with. Returns whether it did.
bool CharacterReference(SaxText& t, std::string_view text) {
  if (t.out.empty() || t.out.back() != '&') return false;
  // The name must stand in the source right after an '&', where the parser now is: libxml2 also
  // passes a decoded "&amp;" as "&" ("&amp;copy" is "&copy", not a copyright sign), and text after
  // a tag or a comment does not follow an '&'.
  const xmlParserInputPtr input = t.context->input;
  const auto* at = reinterpret_cast<const char*>(input->cur);
  const auto* base = reinterpret_cast<const char*>(input->base);
  if (at == nullptr || base == nullptr || static_cast<size_t>(at - base) < text.size() + 1 ||
      at[-static_cast<std::ptrdiff_t>(text.size()) - 1] != '&' ||
      std::string_view(at - text.size(), text.size()) != text) {
    return false;
  }
  constexpr size_t kLongestName = 6;  // "middot", "frac12", "curren" ...
  for (size_t length = std::min(text.size(), kLongestName); length >= 2; --length) {
    const std::string name(text.substr(0, length));
    const htmlEntityDesc* entity = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()));
    if (entity == nullptr || entity->value > 0xFF) continue;  // not one of the old ones
    t.out.pop_back();                                         // the '&'
    AppendUtf8(t.out, entity->value);
    t.out += text.substr(length);
    return true;
  }
  return false;
}

void Text(SaxText& t, const xmlChar* chars, int length) {
  const std::string_view text(reinterpret_cast<const char*>(chars), static_cast<size_t>(length));
  if (t.hidden == 0 && !CharacterReference(t, text)) t.out += text;
}

void Start(void* data, const xmlChar* name, const xmlChar** /*attributes*/) {
  Guarded(data, [&](SaxText& t) { StartElement(t, name); });
}
void End(void* data, const xmlChar* name) {
  Guarded(data, [&](SaxText& t) { EndElement(t, name); });
}
void Characters(void* data, const xmlChar* chars, int length) {
  Guarded(data, [&](SaxText& t) { Text(t, chars, length); });
}

// U+0080 to U+009F as Windows-1252 means them, as HTML5 reads "&#146;" (a right quote) and as
// mail that says ISO-8859-1 but was written in Windows-1252 intends; the five it leaves undefined
// are control characters with no meaning in text, and go.
std::string WithoutC1Controls(const std::string& text) {
  if (text.find('\xC2') == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0u;
    if (static_cast<unsigned char>(text[i]) != 0xC2 || next < 0x80 || next > 0x9F) {
      out += text[i];
      continue;
    }
    ++i;
    const char16_t c = Windows1252C1(next - 0x80);
    if (c != 0) AppendUtf8(out, c);
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return s.substr(a, b - a);
}

// The lines of `text` as getline would give them: split at '\n', no empty last line.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    lines.push_back(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
  }
  return lines;
}

// Whether quoted history starts at line i.
bool IsHistoryStart(const std::vector<std::string_view>& lines, size_t i) {
  const std::string_view line = Trim(lines[i]);
  for (std::string_view marker :
       {"-----original message-----", "-------- original message", "-------- forwarded message",
        "---------- forwarded message", "begin forwarded"}) {
    if (StartsWithIgnoringCase(line, marker)) return true;
  }
  if (line.substr(0, 1) == ">") return true;
  // "On Mon, 1 Jan 2026 at 10:00, Someone <a@b> wrote:" (possibly wrapped onto two lines), with
  // "wrote:" within 300 characters of the start.
  if (StartsWithIgnoringCase(line, "on ")) {
    constexpr size_t kWithin = 300;
    const size_t wrote = FindIgnoringCase(line.substr(0, kWithin + 5), "wrote:");
    if (wrote != std::string_view::npos && wrote < kWithin) return true;
    if (i + 1 < lines.size() && line.size() + 1 < kWithin) {
      const size_t room = kWithin - line.size() - 1;
      const size_t next = FindIgnoringCase(Trim(lines[i + 1]).substr(0, room + 5), "wrote:");
      if (next != std::string_view::npos && next < room) return true;
    }
  }
  // Outlook: "From: ..." followed within a few lines by "Sent:" or "Date:".
  if (StartsWithIgnoringCase(line, "from:")) {
    for (size_t k = i + 1; k < lines.size() && k <= i + 4; ++k) {
      const std::string_view next = Trim(lines[k]);
      if (StartsWithIgnoringCase(next, "sent:") || StartsWithIgnoringCase(next, "date:"))
        return true;
    }
  }
  return false;
}

}  // namespace

std::string TidyText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  int blank = 0;
  std::string t;
  for (std::string_view line : Lines(text)) {
    t.assign(line);
    // Non-breaking spaces from HTML become plain ones (before trimming, so trailing ones go too).
    for (size_t p = 0; (p = t.find("\xC2\xA0", p)) != std::string::npos;) t.replace(p, 2, " ");
    while (!t.empty() && (t.back() == '\r' || t.back() == ' ' || t.back() == '\t')) t.pop_back();
    if (t.empty()) {  // blank: trimmed to nothing
      if (++blank > 1 || out.empty()) continue;
      out += '\n';
    } else {
      blank = 0;
      out += t;
      out += '\n';
    }
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string HtmlToText(std::string_view html) {
  static const bool initialised = [] {
    xmlInitParser();  // once, before any thread parses
    return true;
  }();
  (void)initialised;
  htmlParserCtxtPtr context = htmlNewParserCtxt();
  if (context == nullptr) throw std::bad_alloc();
  // The context frees its handler with xmlFree, so ours must come from xmlMalloc.
  auto* sax = static_cast<htmlSAXHandler*>(xmlMalloc(sizeof(htmlSAXHandler)));
  if (sax == nullptr) {
    htmlFreeParserCtxt(context);
    throw std::bad_alloc();
  }
  *sax = htmlSAXHandler{};
  sax->startElement = Start;
  sax->endElement = End;
  sax->characters = Characters;
  sax->ignorableWhitespace = Characters;
  xmlFree(context->sax);
  context->sax = sax;
  SaxText text;
  text.context = context;
  context->userData = &text;
  // The text is UTF-8 already (the parser converted it): a <meta> naming another charset must not
  // make libxml2 decode it again. Parse errors are neither printed nor kept; no network.
  constexpr int kOptions = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                           HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;
  const size_t size = std::min<size_t>(html.size(), static_cast<size_t>(INT_MAX));
  htmlDocPtr document =
      htmlCtxtReadMemory(context, html.data(), static_cast<int>(size), nullptr, "UTF-8", kOptions);
  if (document != nullptr) xmlFreeDoc(document);  // none is built without tree callbacks
  htmlFreeParserCtxt(context);
  if (text.failure) std::rethrow_exception(text.failure);
  return TidyText(WithoutC1Controls(text.out));
}

std::string NewText(std::string_view text) {
  const std::vector<std::string_view> lines = Lines(text);
  size_t end = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view t = lines[i];
    if (t == "-- " || t == "--" || t == "-- \r" || IsHistoryStart(lines, i)) {
      end = i;
      break;
    }
  }
  // Where the text above the history ends (the lines are views into `text`).
  const auto upto = [&](size_t line) {
    return line == lines.size() ? text.size()
                                : static_cast<size_t>(lines[line].data() - text.data());
  };
  const std::string tidy = TidyText(text.substr(0, upto(end)));
  // A reply written below the quote (bottom-posting) leaves nothing above: keep what follows
  // the last quoted line.
  if (tidy.empty()) {
    size_t last_quote = lines.size();
    for (size_t i = 0; i < lines.size(); ++i) {
      if (Trim(lines[i]).substr(0, 1) == ">") last_quote = i;
    }
    return last_quote == lines.size() ? std::string() : TidyText(text.substr(upto(last_quote + 1)));
  }
  return tidy;
}

}  // namespace complaints
