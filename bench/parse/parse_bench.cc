// bench/parse: messages per second and MB/s parsing the SpamAssassin ham (2,750 real messages)
// with complaintsd's parser (as the daemon calls it, with the policy's reference pattern), beside
// GMime 3 (parse, decode the subject and sender, decode the text parts to UTF-8) and beside GMime
// plus the same HTML-to-text conversion for mail with no plain part (the job our parser does), in
// the same run, from memory. Python's email package is measured by parse_bench.py, run last.
//
//   build/bench/parse/parse_bench [CORPUS_DIR]   (default ../shared/corpora/mime/spamassassin)
//   build/bench/parse/parse_bench --ours-only [CORPUS_DIR]   (our parser alone, 20 runs: for perf)
#include <gmime/gmime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/mail_parser.h"
#include "parsers/mail_text.h"

namespace {

using Steady = std::chrono::steady_clock;

struct Figure {
  double seconds = 0;
  size_t ok = 0;
};

// One timed run of fn, kept in `best` when it is the fastest so far.
template <typename Fn>
void Keep(Figure& best, Fn fn) {
  const auto start = Steady::now();
  const size_t ok = fn();
  const double s = std::chrono::duration<double>(Steady::now() - start).count();
  if (best.ok == 0 || s < best.seconds) best = {s, ok};
}

void Print(const char* who, const Figure& f, size_t messages, size_t bytes) {
  std::printf("%-34s %8.0f messages/s  %7.1f MB/s  (%.3f s, %zu of %zu parsed)\n", who,
              messages / f.seconds, bytes / f.seconds / 1e6, f.seconds, f.ok, messages);
}

struct GmimeTexts {
  size_t chars = 0;
  bool plain = false;  // the message has a text/plain part
  std::string html;    // its first text/html part, decoded to UTF-8
};

void GmimeText(GMimeObject* parent, GMimeObject* part, gpointer data) {
  (void)parent;
  if (GMIME_IS_TEXT_PART(part)) {
    auto* texts = static_cast<GmimeTexts*>(data);
    char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));  // decoded, UTF-8
    texts->chars += text ? std::strlen(text) : 0;
    if (g_mime_content_type_is_type(g_mime_object_get_content_type(part), "text", "plain")) {
      texts->plain = true;
    } else if (text != nullptr && texts->html.empty() &&
               g_mime_content_type_is_type(g_mime_object_get_content_type(part), "text", "html")) {
      texts->html = text;
    }
    g_free(text);
  }
}

// With `html_to_text`, a message with HTML and no plain text also has its HTML made readable by
// the same converter complaintsd uses (libxml2): GMime has none, and a complaints mailbox needs the
// words of HTML-only mail. Without it, this is GMime's own work alone.
size_t ParseWithGmime(const std::vector<std::string>& messages, bool html_to_text) {
  size_t ok = 0, text = 0;
  for (const std::string& m : messages) {
    GMimeStream* stream = g_mime_stream_mem_new_with_buffer(m.data(), m.size());
    GMimeParser* parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
    GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
    if (message == nullptr) {  // no mbox "From " line: parse as a plain message
      g_object_unref(parser);
      g_mime_stream_reset(stream);
      parser = g_mime_parser_new_with_stream(stream);
      message = g_mime_parser_construct_message(parser, nullptr);
    }
    if (message != nullptr) {
      ++ok;
      const char* subject = g_mime_message_get_subject(message);  // decoded
      InternetAddressList* from = g_mime_message_get_from(message);
      char* from_text = from ? internet_address_list_to_string(from, nullptr, FALSE) : nullptr;
      text += (subject ? std::strlen(subject) : 0) + (from_text ? std::strlen(from_text) : 0);
      g_free(from_text);
      GmimeTexts texts;
      g_mime_message_foreach(message, GmimeText, &texts);
      text += texts.chars;
      if (html_to_text && !texts.plain && !texts.html.empty()) {
        text += complaints::HtmlToText(texts.html).size();
      }
      g_object_unref(message);
    }
    g_object_unref(parser);
    g_object_unref(stream);
  }
  if (text == 0) std::fprintf(stderr, "GMime found no text at all\n");
  return ok;
}

// What the daemon passes: the Westway policy's case references (WW-2026-00001), found in every
// message's subject and text.
const std::string kPattern = "WW\\-[0-9]{4}\\-[0-9]{5,}";

size_t ParseWithComplaintsd(const std::vector<std::string>& messages) {
  size_t ok = 0;
  for (const std::string& m : messages) {
    complaints::Result<complaints::ParsedMail> mail = complaints::ParseMail(m, kPattern);
    ok += mail.ok();
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  const bool ours_only = argc > 1 && std::strcmp(argv[1], "--ours-only") == 0;
  if (ours_only) --argc, ++argv;
  const std::string dir =
      argc > 1 ? argv[1] : std::string(COMPLAINTSD_SHARED_DIR) + "/corpora/mime/spamassassin";
  if (!std::filesystem::is_directory(dir)) {
    std::fprintf(stderr, "parse_bench: %s is absent\n", dir.c_str());
    return 1;
  }
  std::vector<std::string> messages;
  size_t bytes = 0;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    messages.push_back(text.str());
    bytes += messages.back().size();
  }
  constexpr int kRounds = 7;
  std::printf("%zu messages, %.1f MB, from %s; best of %d rounds, each parser once a round\n",
              messages.size(), bytes / 1e6, dir.c_str(), kRounds);
  Figure ours, gmime, gmime_html;
  if (ours_only) {
    for (int i = 0; i < 3 * kRounds; ++i)
      Keep(ours, [&] { return ParseWithComplaintsd(messages); });
    Print("complaintsd (mimetic + decoding)", ours, messages.size(), bytes);
    return 0;
  }
  // The parsers take turns, so a busy moment on the machine falls on all of them alike.
  g_mime_init();
  for (int i = 0; i < kRounds; ++i) {
    Keep(ours, [&] { return ParseWithComplaintsd(messages); });
    Keep(gmime, [&] { return ParseWithGmime(messages, false); });
    Keep(gmime_html, [&] { return ParseWithGmime(messages, true); });
  }
  g_mime_shutdown();
  Print("complaintsd (mimetic + decoding)", ours, messages.size(), bytes);
  Print("GMime 3 (parse + decoding)", gmime, messages.size(), bytes);
  Print("GMime 3 + HTML-only mail made text", gmime_html, messages.size(), bytes);
  std::fflush(stdout);
  const std::string python =
      "/usr/bin/python3 " COMPLAINTSD_SOURCE_DIR "/bench/parse/parse_bench.py " + dir;
  return std::system(python.c_str()) == 0 ? 0 : 1;
}
