#include "parsers/mail_text.h"

#include <gumbo.h>

#include <vector>

#include "parsers/ascii_case.h"

namespace complaints {
namespace {

bool IsBlock(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_TITLE:
      return true;
    default:
      return false;
  }
}

// Iterative walk (no recursion: hostile nesting must not exhaust the stack).
void Walk(const GumboNode* root, std::string& out) {
  struct Item {
    const GumboNode* node;
    bool closing;
  };
  std::vector<Item> stack = {{root, false}};
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    const GumboNode* node = item.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
      out += node->v.text.text;
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) continue;
    const GumboTag tag = node->type == GUMBO_NODE_ELEMENT ? node->v.element.tag : GUMBO_TAG_HTML;
    if (item.closing) {
      if (IsBlock(tag)) out += '\n';
      continue;
    }
    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_HEAD) continue;
    if (tag == GUMBO_TAG_BR) {
      out += '\n';
      continue;
    }
    if (IsBlock(tag)) out += '\n';
    if (tag == GUMBO_TAG_LI) out += "- ";
    stack.push_back({node, true});
    const GumboVector& children =
        node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      stack.push_back({static_cast<const GumboNode*>(children.data[i - 1]), false});
    }
  }
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
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not read: do not collect them
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  std::string out;
  Walk(output->document, out);
  gumbo_destroy_output(&options, output);
  return TidyText(out);
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
