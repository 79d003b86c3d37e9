#include "daemon/web/html.h"

#include <gtest/gtest.h>

namespace complaints::web {
namespace {

TEST(HtmlEscapeTest, MarkupBecomesText) {
  EXPECT_EQ(Escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(Escape("a & b \"q\""), "a &amp; b &quot;q&quot;");
  EXPECT_EQ(Escape("<img src=x onerror=alert(1)>").find('<'), std::string::npos);
  EXPECT_EQ(Escape("Line one\nLine two\ttab"), "Line one\nLine two\ttab");
}

TEST(HtmlEscapeTest, BidiControlsAndControlCharactersShowAsMarkers) {
  // U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE. The marks (U+200F) stay: they
  // cannot reorder a run, and Arabic and Hebrew text uses them.
  EXPECT_EQ(Escape("invoice\xE2\x80\xAEgpj.exe"), "invoice[U+202E]gpj.exe");
  EXPECT_EQ(Escape("a\xE2\x81\xA6"
                   "b"),
            "a[U+2066]b");
  const std::string rlm =
      "a\xE2\x80\x8F"
      "b";
  EXPECT_EQ(Escape(rlm), rlm);
  EXPECT_EQ(Escape(std::string("a\0b", 3)), "a[U+0000]b");
  EXPECT_EQ(Escape("a\x1b[31mb"), "a[U+001B][31mb");
  EXPECT_EQ(Escape("a\r\nb"), "a\r\nb");  // mail's line ends
}

TEST(HtmlEscapeTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string out = Escape("caf\xE9 \xFF<");
  EXPECT_EQ(out, "caf\xEF\xBF\xBD \xEF\xBF\xBD&lt;");
  EXPECT_EQ(Escape("Zo\xC3\xAB \xE2\x82\xAC"
                   "5"),
            "Zo\xC3\xAB \xE2\x82\xAC"
            "5");  // valid stays
}

TEST(HtmlUrlEncodeTest, EncodesEverythingButUnreservedCharacters) {
  EXPECT_EQ(UrlEncode("WW-2026-00001"), "WW-2026-00001");
  EXPECT_EQ(UrlEncode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
  EXPECT_EQ(UrlEncode("\"><script>"), "%22%3E%3Cscript%3E");
}

TEST(HtmlPageTest, ThePageFrameEscapesTheViewerAndCarriesTheCsrfToken) {
  Viewer v{"pat", "Pat <b>Officer</b>", "officer", "tok123"};
  const std::string page = Page("Cases & more", &v, "cases", "<p>body</p>");
  EXPECT_NE(page.find("Pat &lt;b&gt;Officer&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(page.find("Cases &amp; more"), std::string::npos);
  EXPECT_NE(page.find("name=\"csrf\" value=\"tok123\""), std::string::npos);
  EXPECT_NE(page.find("<p>body</p>"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_NE(page.find("lang=\"en-GB\""), std::string::npos);
  const std::string login = Page("Sign in", nullptr, "", "<p>x</p>");
  EXPECT_EQ(login.find("action=\"/logout\""), std::string::npos);
}

}  // namespace
}  // namespace complaints::web
