#include "daemon/outgoing/staff_directory.h"

#include <gtest/gtest.h>

namespace complaints {
namespace {

using Named = std::vector<std::pair<std::string, std::string>>;

const char kDirectory[] =
    "# Who is who, for praise\n"
    "Steve Jones | Steve the caretaker = steve.jones@westway.example\n"
    "\n"
    "the repairs team | repairs team = repairs@westway.example\n"
    "Zo\xC3\xAB Okafor = zoe.okafor@westway.example\n";

TEST(StaffDirectoryTest, NamesAreFoundAsWholeWordsWhateverTheCase) {
  Result<StaffDirectory> d = StaffDirectory::Parse(kDirectory, "staff.txt");
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->entries().size(), 3u);
  EXPECT_EQ(d->Named("Please thank STEVE THE\n  CARETAKER and the Repairs Team!"),
            (Named{{"Steve the caretaker", "steve.jones@westway.example"},
                   {"the repairs team", "repairs@westway.example"}}));
  EXPECT_EQ(d->Named("Zo\xC3\xAB Okafor was so kind"),
            (Named{{"Zo\xC3\xAB Okafor", "zoe.okafor@westway.example"}}));
  // Once per person, however often named; and not inside other words.
  EXPECT_EQ(d->Named("Steve Jones, yes Steve Jones, the caretaker").size(), 1u);
  EXPECT_TRUE(d->Named("Steve Jonesborough came round").empty());
  EXPECT_TRUE(d->Named("the plumber was great").empty());
}

TEST(StaffDirectoryTest, EveryBadLineIsNamed) {
  Result<StaffDirectory> d = StaffDirectory::Parse(
      "Steve = steve@westway.example\nno equals sign here\nAmy = not an address\nJo = "
      "jo@westway.example\n = x@westway.example\n",
      "staff.txt");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("staff.txt:2: expected"), std::string::npos) << d.error();
  EXPECT_NE(d.error().find("staff.txt:3: "), std::string::npos) << d.error();
  EXPECT_NE(d.error().find("staff.txt:4: 'Jo' is too short"), std::string::npos) << d.error();
  EXPECT_NE(d.error().find("staff.txt:5: no name"), std::string::npos) << d.error();
  EXPECT_EQ(d.error().find("staff.txt:1"), std::string::npos) << d.error();
}

}  // namespace
}  // namespace complaints
