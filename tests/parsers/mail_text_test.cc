// HTML to readable text (libxml2's HTML parser through SAX, with the HTML5 rules it lacks), over
// the kinds of HTML residents' mail clients and old mailing lists send.
#include "parsers/mail_text.h"

#include <gtest/gtest.h>

#include <string>

namespace complaints {
namespace {

TEST(HtmlToTextTest, BlocksBreaksAndListsBecomeLines) {
  EXPECT_EQ(HtmlToText("<p>First</p><p>Second<br>line</p><ul><li>one</li><li>two</li></ul>"
                       "<div>after</div>"),
            "First\n\nSecond\nline\n\n- one\n\n- two\n\nafter");
}

// A mail reader runs no scripts: <noscript> is what the resident saw, and is kept.
TEST(HtmlToTextTest, HeadScriptAndStyleAreNotTextButNoscriptIs) {
  EXPECT_EQ(HtmlToText("<html><head><title>Inbox</title><style>p{color:red}</style>"
                       "<script>var x = '<p>no</p>';</script></head><body>The lift is broken."
                       "<noscript><script src=\"ad.js\"></script> Enable images</noscript>"
                       "<script>alert(1)</script></body></html>"),
            "The lift is broken. Enable images");
}

TEST(HtmlToTextTest, CharacterReferencesAreDecoded) {
  EXPECT_EQ(HtmlToText("<p>Rent &pound;500 &amp; fees &#163;20 &#x2019; caf&eacute;</p>"),
            "Rent \xC2\xA3"
            "500 & fees \xC2\xA3"
            "20 \xE2\x80\x99 caf\xC3\xA9");
}

// HTML5 reads the old entities without a semicolon; libxml2 2.9 does not on its own. (Non-breaking
// spaces come out as plain ones.)
TEST(HtmlToTextTest, OldEntitiesWithoutSemicolonAreDecoded) {
  EXPECT_EQ(HtmlToText("<p>Unsubscribe&nbsp|&nbspHelp &copy 2002 &amp AT&T &bogus</p>"),
            "Unsubscribe | Help \xC2\xA9 2002 & AT&T &bogus");
  // An escaped ampersand is text: "&amp;copy" is "&copy", and a link written out stays whole.
  EXPECT_EQ(HtmlToText("<p>a &amp;copy b &amp;amp; &amp;lt;b&amp;gt; &#38;pound5 &#x26;reg</p>"),
            "a &copy b &amp; &lt;b&gt; &pound5 &reg");
  EXPECT_EQ(HtmlToText("<p>https://example.org/?a=1&amp;region=uk&amp;para=2</p>"),
            "https://example.org/?a=1&region=uk&para=2");
  // Only the old Latin-1 ones: "&hellip" without its semicolon stays as written.
  EXPECT_EQ(HtmlToText("<p>wait&hellip and &hellip;</p>"), "wait&hellip and \xE2\x80\xA6");
}

// "&#146;" and friends mean Windows-1252's characters (HTML5), as do raw C1 controls that mail
// labelled ISO-8859-1 carries; controls with no meaning there go.
TEST(HtmlToTextTest, WindowsCharactersInTheC1RangeAreMapped) {
  EXPECT_EQ(HtmlToText("<p>We&#146;ve &#147;fixed&#148; it &#150; &#128;5 &#149; done&#129;</p>"),
            "We\xE2\x80\x99ve \xE2\x80\x9C"
            "fixed\xE2\x80\x9D it \xE2\x80\x93 \xE2\x82\xAC"
            "5 \xE2\x80\xA2 done");
  EXPECT_EQ(HtmlToText("<p>don\xC2\x92t</p>"), "don\xE2\x80\x99t");
}

// The text arrives in UTF-8 (the parser converted it); the document's own charset claim must not
// make it decoded a second time.
TEST(HtmlToTextTest, AMetaCharsetDoesNotDecodeTheTextAgain) {
  EXPECT_EQ(HtmlToText("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                       "charset=iso-8859-1\"><meta charset=\"windows-1252\"></head>"
                       "<body>Caf\xC3\xA9 \xE2\x80\x93 \xC2\xA3"
                       "5</body></html>"),
            "Caf\xC3\xA9 \xE2\x80\x93 \xC2\xA3"
            "5");
}

// What Outlook and Word write: namespaced tags, conditional comments, MsoNormal paragraphs.
TEST(HtmlToTextTest, OutlookHtmlGivesItsWords) {
  EXPECT_EQ(HtmlToText("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
                       "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocument"
                       "Settings></xml><![endif]--></head><body lang=EN-GB><div class=WordSection1>"
                       "<p class=MsoNormal>Dear Sir<o:p></o:p></p><p class=MsoNormal>The damp is "
                       "back.<o:p>&nbsp;</o:p></p></div></body></html>"),
            "Dear Sir\n\nThe damp is back.");
}

TEST(HtmlToTextTest, BrokenHtmlKeepsItsWords) {
  // A stray end tag is ignored (as HTML5 does); the words all come, in order.
  const std::string text = HtmlToText(
      "<p>one<p>two</div></span><b>three <i>four</b> five</i> rent < 500 & 6 >"
      "</html> after the end");
  EXPECT_EQ(text.substr(0, 40), "one\n\ntwothree four five rent < 500 & 6 >") << text;
  EXPECT_NE(text.find("after the end", 40), std::string::npos) << text;
  EXPECT_EQ(HtmlToText("plain words, no tags"), "plain words, no tags");
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("<!-- only a comment -->"), "");
}

TEST(HtmlToTextTest, NulBytesDoNotEndTheText) {
  const std::string html = std::string("<p>before") + '\0' + "after</p>";
  const std::string text = HtmlToText(html);
  EXPECT_EQ(text.substr(0, 6), "before");
  EXPECT_NE(text.find("after"), std::string::npos) << text;
}

// No tree and no recursion: deep nesting costs neither stack nor the words inside it.
TEST(HtmlToTextTest, DeepNestingKeepsTheWordsInside) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<span><div>";
  html += "deep inside";
  EXPECT_NE(HtmlToText(html).find("deep inside"), std::string::npos);
}

}  // namespace
}  // namespace complaints
