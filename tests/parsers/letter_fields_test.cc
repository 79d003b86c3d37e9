#include "parsers/letter_fields.h"

#include <gtest/gtest.h>

#include <chrono>

#include <cstdio>

namespace complaints {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr char kCasePattern[] = "WW-[0-9]{4}-[0-9]{5}";
const std::vector<std::string> kOwnDomains = {"westway.example.com"};

LetterFields Extract(std::string_view text) {
  return ExtractLetterFields(text, kCasePattern, kOwnDomains);
}

year_month_day Ymd(int y, unsigned m, unsigned d) { return {year{y}, month{m}, day{d}}; }

// Dates as text, so that a failure reads "2026-11-14" rather than bytes.
std::string Show(const std::optional<year_month_day>& d) {
  if (!d) return "none";
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d->year()),
                static_cast<unsigned>(d->month()), static_cast<unsigned>(d->day()));
  return out;
}

using Lines = std::vector<std::string>;

// ---------------------------------------------------------------------------------------------
// Whole letters

constexpr char kTypedLetter[] =
    "Mrs Joan Smith\n"
    "14 Alder Court\n"
    "Ravenswood Road\n"
    "South Croydon\n"
    "CR2 6XH\n"
    "\n"
    "14 November 2026\n"
    "\n"
    "Complaints Team\n"
    "Westway Housing Association\n"
    "1 Market Street\n"
    "London\n"
    "EC1A 1BB\n"
    "\n"
    "Dear Sir/Madam,\n"
    "\n"
    "I am writing to complain about the damp in my bedroom, which I first reported in August.\n"
    "Thank you for your letter of 3 November, but nobody has been out to look at it since.\n"
    "\n"
    "Yours sincerely,\n"
    "\n"
    "\n"
    "Joan Smith\n";

TEST(LetterFieldsTest, TypedLetterGivesTheWritersDetailsNotTheLandlords) {
  const LetterFields f = Extract(kTypedLetter);
  EXPECT_EQ(f.name, "Joan Smith");
  EXPECT_EQ(f.address, (Lines{"14 Alder Court", "Ravenswood Road", "South Croydon"}));
  EXPECT_EQ(f.postcode, "CR2 6XH");
  EXPECT_EQ(Show(f.letter_date), "2026-11-14");
  EXPECT_EQ(f.email, "");
  EXPECT_EQ(f.phone, "");
  EXPECT_TRUE(f.references.empty());
}

// Tesseract's output as the integration test saw it: the landlord's address with a blank line
// between every line, and the resident's postcode with a Q read as a zero.
TEST(LetterFieldsTest, OcrSpacingAndAZeroForALetterInThePostcode) {
  const LetterFields f = Extract(
      "14 Acacia Avenue\nLeeds\nLS6 20T\n\n16 November 2026\n\nWestway Housing Association\n\n"
      "Customer Services\n\n1 High Street\n\nLondon W1A 1AA\n\nDear Sir or Madam,\n\n"
      "I am writing to complain about the damp.\n\nYours faithfully,\n\nMargaret Hughes\n");
  EXPECT_EQ(f.name, "Margaret Hughes");
  EXPECT_EQ(f.address, (Lines{"14 Acacia Avenue", "Leeds"}));
  EXPECT_EQ(f.postcode, "LS6 20T");
  EXPECT_FALSE(ValidUkPostcode(f.postcode));
  EXPECT_TRUE(ValidUkPostcode("LS6 2QT"));
  EXPECT_TRUE(ValidUkPostcode("EC1A 1BB"));
  EXPECT_FALSE(ValidUkPostcode("LS6 2OT"));

  // The writer's own address spaced out the same way is read whole.
  const LetterFields spaced = Extract(
      "14 Acacia Avenue\n\nLeeds\n\nLS6 2QT\n\n16 November 2026\n\nDear Sir,\n\nThe damp.\n\n"
      "Yours faithfully,\n\nMargaret Hughes\n");
  EXPECT_EQ(spaced.address, (Lines{"14 Acacia Avenue", "Leeds"}));
  EXPECT_EQ(spaced.postcode, "LS6 2QT");
  // Specks read as punctuation before the postcode are no town.
  EXPECT_EQ(Extract("3 Cedar Walk\nHarlow\n. CM20 3BT\n\nDear Sir,\n\nThe boiler.\n\n"
                    "Yours faithfully,\n\nSamuel Okafor\n")
                .address,
            (Lines{"3 Cedar Walk", "Harlow"}));
  // But "Block B2 100" is no postcode: a zero stands in for at most one letter.
  EXPECT_EQ(
      Extract("Block B2 100\n\nDear Sir,\n\nHello.\n\nYours faithfully,\n\nAmy Lee\n").postcode,
      "");
}

// Found by the fuzzer: a line of 50,000 dots before a blank line cost std::regex quadratic time
// (`[ .,;]*$` tried from every position). Long lines are no address lines and are not searched.
TEST(LetterFieldsTest, AHugeLineDoesNotHang) {
  const std::string text = std::string(50000, '.') + "\n\n" + std::string(50000, ' ') +
                           "\n\nDear Sir,\n\nYours faithfully,\n\nAmy Lee\n";
  const auto start = std::chrono::steady_clock::now();
  const LetterFields f = Extract(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{5});
  EXPECT_EQ(f.name, "Amy Lee");
  EXPECT_EQ(f.postcode, "");
  // And a long line of date-like words before the salutation is not taken for the date line.
  std::string words;
  for (int i = 0; i < 5000; ++i) words += "14/11/2026 ";
  const LetterFields g = Extract(words + "\n\n1 March 2026\n\nDear Sir,\n\nHello.\n");
  ASSERT_TRUE(g.letter_date.has_value());
  EXPECT_EQ(*g.letter_date, std::chrono::year{2026} / 3 / 1);
}

TEST(LetterFieldsTest, LandlordAddressFirstInReadingOrderIsSkipped) {
  const LetterFields f = Extract(
      "Westway Homes\n"
      "Customer Services\n"
      "PO Box 123\n"
      "Birmingham\n"
      "B33 8TH\n"
      "\n"
      "Mr Tomasz Nowak\n"
      "Flat 6, Larch House\n"
      "22 Canal Street\n"
      "Manchester M1 1AE\n"
      "\n"
      "3rd March 2027\n"
      "\n"
      "Dear Westway,\n"
      "\n"
      "The communal heating has been off since February and I have two small children.\n"
      "\n"
      "Kind regards\n"
      "Tomasz Nowak\n");
  EXPECT_EQ(f.postcode, "M1 1AE");
  EXPECT_EQ(f.address, (Lines{"Flat 6, Larch House", "22 Canal Street", "Manchester"}));
  EXPECT_EQ(f.name, "Tomasz Nowak");
  EXPECT_EQ(Show(f.letter_date), "2027-03-03");
}

TEST(LetterFieldsTest, LetterWithNoAddressLeavesAddressEmpty) {
  const LetterFields f = Extract(
      "20/11/2026\n"
      "\n"
      "To whom it may concern\n"
      "\n"
      "My neighbour plays loud music every night until 3am and I cannot sleep.\n"
      "\n"
      "Regards,\n"
      "Priya Raman\n");
  EXPECT_TRUE(f.address.empty());
  EXPECT_EQ(f.postcode, "");
  EXPECT_EQ(f.name, "Priya Raman");
  EXPECT_EQ(Show(f.letter_date), "2026-11-20");
}

TEST(LetterFieldsTest, EmailAndPhoneAreTheWritersNotTheLandlords) {
  const LetterFields f = Extract(
      "Ms Aisha Bello\n"
      "9 Heron Way\n"
      "Doncaster\n"
      "DN55 1PT\n"
      "Tel: 07700 900123\n"
      "Email: Aisha.Bello@EXAMPLE.ORG\n"
      "\n"
      "Complaints Team\n"
      "Westway Housing\n"
      "complaints@westway.example.com\n"
      "Tel: 020 7946 0000\n"
      "\n"
      "1 December 2026\n"
      "\n"
      "Dear Complaints Team,\n"
      "\n"
      "Please reply by email. I rang your office on 020 7946 0999 twice last week.\n"
      "\n"
      "Best wishes\n"
      "\n"
      "Aisha Bello\n");
  EXPECT_EQ(f.email, "Aisha.Bello@example.org");  // the domain lower-cased, the local part kept
  EXPECT_EQ(f.phone, "07700900123");
  EXPECT_EQ(f.address, (Lines{"9 Heron Way", "Doncaster"}));
  EXPECT_EQ(f.postcode, "DN55 1PT");
  EXPECT_EQ(f.name, "Aisha Bello");
}

TEST(LetterFieldsTest, CaseReferencesThenTenancyReferencesOnceEach) {
  const LetterFields f = Extract(
      "Your ref: WW-2026-00042\n"
      "Tenancy ref: T-12345\n"
      "\n"
      "Dear Ms Patel,\n"
      "\n"
      "Re: WW-2026-00042\n"
      "\n"
      "This is the same leak as my earlier complaint WW-2025-00917, which was closed without\n"
      "a repair. My tenancy reference is T-12345 in case you need it.\n"
      "\n"
      "Yours sincerely\n"
      "Daniel Hughes\n");
  EXPECT_EQ(f.references, (Lines{"WW-2026-00042", "WW-2025-00917", "T-12345"}));
}

TEST(LetterFieldsTest, AccountNumbersAreNotTakenAsPhoneNumbers) {
  const LetterFields f = Extract(
      "Account number: 02079460155\n"
      "WW-2026-07700\n"
      "\n"
      "Dear Sir,\n"
      "The repair booked for 01.12.2026 07:30 never happened.\n"
      "Yours faithfully\n"
      "Ruth Evans\n");
  EXPECT_EQ(f.phone, "");
  EXPECT_EQ(f.references, (Lines{"WW-2026-07700", "02079460155"}));
}

TEST(LetterFieldsTest, OcrNoiseIsToleratedAndRepairedOnlyWhereUnambiguous) {
  const LetterFields f = Extract(
      "  Mr |an 0'Brien\n"
      "  7 Kestrel   Close\n"
      "  S0uth Cr0ydon\n"
      "  cr26xh\n"
      "\n"
      "14th N0v 2026\n"
      "\n"
      "WESTWAY H0USING ASS0CIATION\n"
      "1 Market Street\n"
      "London EC1A 1BB\n"
      "\n"
      "Dear  Sir / Madam\n"
      "\n"
      "The window in my kitchen will not close and the frame is rotten.\n"
      "\n"
      "Y0urs  sincere ly,\n"
      "\n"
      "|an 0'Brien\n");
  EXPECT_EQ(f.name, "Ian O'Brien");
  EXPECT_EQ(f.address, (Lines{"7 Kestrel Close", "South Croydon"}));
  EXPECT_EQ(f.postcode, "CR2 6XH");
  EXPECT_EQ(Show(f.letter_date), "2026-11-14");
}

TEST(LetterFieldsTest, NameWithAnAmbiguousOcrCharacterIsNotGuessed) {
  // A `|` inside a word could be an i or an l: "Ph|lip" is not turned into either.
  const LetterFields f = Extract("Dear Sir,\nThe lift is broken.\nYours sincerely\nPh|lip Ward\n");
  EXPECT_EQ(f.name, "");
}

TEST(LetterFieldsTest, PostcodeFormsAreNormalised) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SW1A 1AA", "SW1A 1AA"}, {"sw1a1aa", "SW1A 1AA"},  {"M1 1AE", "M1 1AE"},
      {"m11ae", "M1 1AE"},      {"B33 8TH", "B33 8TH"},   {"CR2 6XH", "CR2 6XH"},
      {"DN55 1PT", "DN55 1PT"}, {"EC1A 1BB", "EC1A 1BB"}, {"ec1a   1bb.", "EC1A 1BB"},
  };
  for (const auto& [written, normalised] : cases) {
    const LetterFields f = Extract("12 Elm Road\n" + written + "\n");
    EXPECT_EQ(f.postcode, normalised) << written;
    EXPECT_EQ(f.address, Lines{"12 Elm Road"}) << written;
  }
}

TEST(LetterFieldsTest, PostcodeSharingALineWithTheTownKeepsTheTown) {
  const LetterFields f = Extract("Flat 2\n31 Poplar Grove\nLondon, SW1A 1AA\n\nDear Sir,\n");
  EXPECT_EQ(f.postcode, "SW1A 1AA");
  EXPECT_EQ(f.address, (Lines{"Flat 2", "31 Poplar Grove", "London"}));
}

TEST(LetterFieldsTest, PostcodeLookAlikesAndBodyAddressesAreNotTheWritersAddress) {
  EXPECT_EQ(Extract("Block B2 1st floor has no lighting\n").postcode, "");
  EXPECT_EQ(Extract("Dear Sir,\n"
                    "The empty flat at 4 Ash Court, Leeds LS1 4AB\n"
                    "is attracting rats.\n"
                    "Yours faithfully\n"
                    "Ruth Evans\n")
                .postcode,
            "");
}

TEST(LetterFieldsTest, AddressUnderTheSignatureIsTheWritersAddress) {
  const LetterFields f = Extract(
      "Dear Sir,\n"
      "The stairwell light has been out for a month.\n"
      "Yours faithfully\n"
      "Owen Price\n"
      "5 Willow Walk\n"
      "Birmingham B33 8TH\n");
  EXPECT_EQ(f.name, "Owen Price");
  EXPECT_EQ(f.address, (Lines{"5 Willow Walk", "Birmingham"}));
  EXPECT_EQ(f.postcode, "B33 8TH");
}

TEST(LetterFieldsTest, NameFieldWhenThereIsNoSignOff) {
  const LetterFields f = Extract(
      "Name: Mr David Osei\n"
      "Address: 31 Poplar Grove\n"
      "Croydon CR2 6XH\n"
      "\n"
      "Complaint: the boiler has failed three times this winter.\n");
  EXPECT_EQ(f.name, "Mr David Osei");
  EXPECT_EQ(f.address, (Lines{"31 Poplar Grove", "Croydon"}));
}

TEST(LetterFieldsTest, TitledFirstLineOfTheAddressSuppliesTheNameWhenUnsigned) {
  const LetterFields f = Extract(
      "Miss Chloe Adeyemi\n"
      "5 Willow Walk\n"
      "Birmingham\n"
      "B33 8TH\n"
      "\n"
      "The lift has been broken for three weeks and I use a wheelchair.\n");
  EXPECT_EQ(f.name, "Miss Chloe Adeyemi");
  EXPECT_EQ(f.address, (Lines{"5 Willow Walk", "Birmingham"}));
}

TEST(LetterFieldsTest, UntitledFirstLineMatchingTheSignatureIsNotAnAddressLine) {
  const LetterFields f = Extract(
      "Hannah Clarke\n8 Birch Avenue\nManchester\nM1 1AE\n\nDear Sir or Madam,\n"
      "The gutter leaks.\n\nYours faithfully,\nH. Clarke\n");
  EXPECT_EQ(f.name, "H. Clarke");
  EXPECT_EQ(f.address, (Lines{"8 Birch Avenue", "Manchester"}));
}

TEST(LetterFieldsTest, UntitledFirstLineThatIsNoNameStaysInTheAddress) {
  const LetterFields f = Extract(
      "Rowan Court\n12 Elm Road\nCroydon\nCR2 6XH\n\nDear Sir,\nNo hot water.\n\n"
      "Kind regards\nJoan Smith\n");
  EXPECT_EQ(f.address, (Lines{"Rowan Court", "12 Elm Road", "Croydon"}));
  EXPECT_EQ(f.name, "Joan Smith");
}

TEST(LetterFieldsTest, SignatureScrawlIsSkippedForThePrintedName) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Yours faithfully\n\n~J~ Sm ~\nJoan Smith\n", "Joan Smith"},
      {"Yours faithfully\n\nJsmth\n\nJoan Smith\n", "Joan Smith"},  // a scrawl read as a word
      {"Kind regards,\nPeter Okafor,\n", "Peter Okafor"},
      {"Yours sincerely, Grace Mensah\n", "Grace Mensah"},
      {"Yours\nfaithfully\n\nOwen Price\n", "Owen Price"},  // a sign-off broken over two lines
      {"Thanks\nFatima\n12 Elm Road\n", "Fatima"},
      {"Yours sincerely\n\nJoan Smith (Mrs)\n", "Joan Smith (Mrs)"},
  };
  for (const auto& [ending, name] : cases) {
    EXPECT_EQ(Extract("Dear Sir,\nThe fence is down.\n\n" + ending).name, name) << ending;
  }
}

TEST(LetterFieldsTest, NameNeverHasDigitsOrAnAtSign) {
  const LetterFields f = Extract(
      "Dear Sir,\nThe fence is down.\n\nKind regards\n\njoan.smith@example.org\n07700 900123\n");
  EXPECT_EQ(f.name, "");
  EXPECT_EQ(f.email, "joan.smith@example.org");
  EXPECT_EQ(f.phone, "07700900123");
}

TEST(LetterFieldsTest, AnonymousSignatureIsNoName) {
  EXPECT_EQ(Extract("Dear Sir,\nThe bins are never emptied.\n\nYours faithfully\n\n"
                    "A Concerned Resident\n")
                .name,
            "");
  EXPECT_EQ(Extract("Dear Sir,\nThe bins.\nRegards\nElm Road Tenants Group\n").name, "");
}

TEST(LetterFieldsTest, ThanksInsideTheBodyIsNoSignOff) {
  const LetterFields f = Extract(
      "Dear Sir,\nThanks to your contractor the ceiling fell in.\nThank you for nothing.\n");
  EXPECT_EQ(f.name, "");
}

TEST(LetterFieldsTest, LetterDateForms) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"14 November 2026", "2026-11-14"},
      {"14th Nov 2026", "2026-11-14"},
      {"Saturday 14 November 2026", "2026-11-14"},
      {"Saturday, 14th November, 2026", "2026-11-14"},
      {"14/11/2026", "2026-11-14"},
      {"14.11.26", "2026-11-14"},
      {"14-11-2026", "2026-11-14"},
      {"November 14, 2026", "2026-11-14"},
      {"Date: 3rd March 2027", "2027-03-03"},
      {"14 / 11 / 2026", "2026-11-14"},
      {"5 0ct 2026", "2026-10-05"},
      {"1st of September 2026", "2026-09-01"},
  };
  for (const auto& [line, date] : cases) {
    EXPECT_EQ(
        Show(Extract("12 Elm Road\nCroydon CR2 6XH\n\n" + line + "\n\nDear Sir,\n").letter_date),
        date)
        << line;
  }
}

TEST(LetterFieldsTest, LetterDateIsTheFirstDateLineBeforeTheSalutation) {
  EXPECT_EQ(Show(Extract("2 December 2026\n\nReceived\n5 December 2026\n\nDear Sir,\n"
                         "14 November 2026\n")
                     .letter_date),
            "2026-12-02");
  // A date in the body, or inside a sentence, is not the date the letter is dated.
  EXPECT_EQ(Show(Extract("Dear Sir,\n14 November 2026\n").letter_date), "none");
  EXPECT_EQ(Show(Extract("I reported this on 3 March 2026.\n\nDear Sir,\n").letter_date), "none");
}

TEST(LetterFieldsTest, ImpossibleLetterDateIsNotBelieved) {
  EXPECT_EQ(Show(Extract("31/02/2026\n\nDear Sir,\n").letter_date), "none");
  EXPECT_EQ(Show(Extract("14 Smarch 2026\n\nDear Sir,\n").letter_date), "none");
  EXPECT_EQ(Show(Extract("14 November\n\nDear Sir,\n").letter_date), "none");  // no year
}

TEST(LetterFieldsTest, LandlordsEmailIsSkippedWhereverItAppears) {
  const LetterFields f = Extract(
      "Dear Sir,\n"
      "I wrote to Complaints@Westway.Example.Com and to repairs@estates.westway.example.com\n"
      "but nobody answered. Please write to me at k.ahmed@example.com instead.\n"
      "Yours sincerely\nKarim Ahmed\n");
  EXPECT_EQ(f.email, "k.ahmed@example.com");
}

TEST(LetterFieldsTest, BodyNamingTheLandlordKeepsTheWritersDetails) {
  const LetterFields f = Extract(
      "Dear Sir,\n"
      "Westway Housing Association has ignored me.\n"
      "Call me on 07700 900321 or write to l.ncube@example.org\n"
      "Yours faithfully\nLindiwe Ncube\n");
  EXPECT_EQ(f.phone, "07700900321");
  EXPECT_EQ(f.email, "l.ncube@example.org");
}

TEST(LetterFieldsTest, OwnDomainMarksAnUnlabelledLandlordBlock) {
  const std::string letter =
      "Westway\n1 Market Street\nLondon EC1A 1BB\ncomplaints@westway.example.com\n\n"
      "Mr Sam Reid\n3 Ash Lane\nDoncaster DN55 1PT\n\nDear Sir,\n";
  EXPECT_EQ(ExtractLetterFields(letter, kCasePattern, kOwnDomains).postcode, "DN55 1PT");
  // Without knowing the domain nothing marks the first block as the landlord's.
  EXPECT_EQ(ExtractLetterFields(letter, kCasePattern, {}).postcode, "EC1A 1BB");
}

TEST(LetterFieldsTest, PhoneForms) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Tel: 07700 900123", "07700900123"},
      {"Mobile 07700-900-123", "07700900123"},
      {"Phone: 07700.900.123", "07700900123"},
      {"07700900123", "07700900123"},
      {"Tel: +44 7700 900123", "+447700900123"},
      {"Tel: +44 (0)7700 900123", "+447700900123"},
      {"Tel: +44(0)20 7946 0123", "+442079460123"},
      {"Home: 020 7946 0123", "02079460123"},
      {"(020) 7946 0123", "02079460123"},
      {"Tel: 07700 9001", ""},  // too short
      {"Tel: 07700 900123 45", "07700900123"},
      {"Ref 1-07700900123", ""},   // inside a reference
      {"Tel: 0800 123 4567", ""},  // not a resident's number
  };
  for (const auto& [line, phone] : cases) {
    EXPECT_EQ(Extract("Dear Sir,\nNo heating.\nYours faithfully\nRuth Evans\n" + line + "\n").phone,
              phone)
        << line;
  }
}

TEST(LetterFieldsTest, LabelledPhoneWinsOverOneInTheBody) {
  const LetterFields f = Extract(
      "Dear Sir,\n"
      "I rang your office on 020 7946 0999 and was cut off.\n"
      "Please call me on 07700 900456 after 5pm.\n"
      "Yours faithfully\nRuth Evans\n");
  EXPECT_EQ(f.phone, "07700900456");
}

TEST(LetterFieldsTest, BadReferencePatternFindsNoCaseReferencesAndDoesNotThrow) {
  const LetterFields f =
      ExtractLetterFields("Our ref: WW-2026-00042\nTenancy number: T-12345\nYour ref: see above\n",
                          "WW-[", kOwnDomains);
  EXPECT_EQ(f.references, (Lines{"WW-2026-00042", "T-12345"}));  // from the labels alone
}

TEST(LetterFieldsTest, EmptyAndJunkTextGiveNothing) {
  for (const std::string text : {"", "\n\n\f\n", "|||| ___ ~~~\n....\n"}) {
    const LetterFields f = Extract(text);
    EXPECT_EQ(f.name, "");
    EXPECT_TRUE(f.address.empty());
    EXPECT_EQ(f.postcode, "");
    EXPECT_EQ(f.email, "");
    EXPECT_EQ(f.phone, "");
    EXPECT_TRUE(f.references.empty());
    EXPECT_FALSE(f.letter_date.has_value());
  }
}

// ---------------------------------------------------------------------------------------------
// Staff notes

TEST(LetterFieldsTest, ReceivedNoteForms) {
  const year_month_day forwarded = Ymd(2026, 12, 5);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Received 14/11, please log.", "2026-11-14"},
      {"Date received: 14 November 2026", "2026-11-14"},
      {"rec'd 3rd Dec", "2026-12-03"},
      {"Rec\xE2\x80\x99"
       "d Thursday 3 December",
       "2026-12-03"},
      {"recd 3rd Dec", "2026-12-03"},
      {"Letter arrived by post on 2.12.26", "2026-12-02"},
      {"RECEIVED 1 DEC 2026 - scanned by reception", "2026-12-01"},
      {"Received from Mrs Smith on Dec 4th", "2026-12-04"},
      {"Letter dated 28/11, received 2/12", "2026-12-02"},
  };
  for (const auto& [note, date] : cases) {
    EXPECT_EQ(Show(ReceivedDateFromNote(note, forwarded)), date) << note;
  }
}

TEST(LetterFieldsTest, ReceivedNoteWithoutAYearRollsBackOverNewYear) {
  EXPECT_EQ(Show(ReceivedDateFromNote("received 30/12", Ymd(2027, 1, 2))), "2026-12-30");
  EXPECT_EQ(Show(ReceivedDateFromNote("received 2/1", Ymd(2027, 1, 2))), "2027-01-02");
  // Later in the year than the forwarding: last year's, still within the window.
  EXPECT_EQ(Show(ReceivedDateFromNote("received 10/12", Ymd(2026, 12, 5))), "2025-12-10");
}

TEST(LetterFieldsTest, ReceivedNoteInTheFutureOrTooOldIsNotBelieved) {
  const year_month_day forwarded = Ymd(2026, 12, 5);
  EXPECT_EQ(Show(ReceivedDateFromNote("received 20/12/2026", forwarded)), "none");
  EXPECT_EQ(Show(ReceivedDateFromNote("received 7 Dec 2026", forwarded)), "none");
  EXPECT_EQ(Show(ReceivedDateFromNote("received 1/11/2025", forwarded)), "none");
  EXPECT_EQ(Show(ReceivedDateFromNote("received 4/12/2025", forwarded)), "2025-12-04");  // 366
  EXPECT_EQ(Show(ReceivedDateFromNote("received 3/12/2025", forwarded)), "none");        // 367
  EXPECT_EQ(Show(ReceivedDateFromNote("received 31/11", forwarded)), "none");  // no such day
}

TEST(LetterFieldsTest, ReceivedNoteTodayAndYesterday) {
  EXPECT_EQ(Show(ReceivedDateFromNote("Letter received today", Ymd(2026, 12, 5))), "2026-12-05");
  EXPECT_EQ(Show(ReceivedDateFromNote("Received yesterday, sorry for the delay", Ymd(2027, 1, 1))),
            "2026-12-31");
  EXPECT_EQ(Show(ReceivedDateFromNote("came in this morning", Ymd(2026, 12, 5))), "2026-12-05");
}

TEST(LetterFieldsTest, ReceivedNoteWithNoArrivalDateGivesNone) {
  const year_month_day forwarded = Ymd(2026, 12, 5);
  for (const char* note :
       {"", "Please call Mrs Smith back", "Received from Mrs Smith, see attached",
        "Letter dated 28/11/2026", "Received letter dated 28/11", "received on Monday"}) {
    EXPECT_EQ(Show(ReceivedDateFromNote(note, forwarded)), "none") << note;
  }
}

TEST(LetterFieldsTest, NoteSaysLetterWhenStaffSaySo) {
  for (const char* note :
       {"Scanned letter from Mrs Smith", "FW: letter received today",
        "Complaint received by post - see attached", "Posted complaint, Flat 3 Larch House",
        "Hard copy of her complaint attached", "Please see attached letter",
        "Complaint letter re damp", "SCANNED  LETTER", "Handwritten letter from Mr Osei",
        "Hand-delivered to reception this morning", "Letter from Mrs Bello about the lift",
        "FW: letter from the tenant at 4 Ash Court",
        "This came in the post for the complaints team"}) {
    EXPECT_TRUE(NoteSaysLetter(note)) << note;
  }
}

TEST(LetterFieldsTest, NoteSaysLetterNotForOrdinaryStaffMail) {
  for (const char* note :
       {"", "Please call Mrs Smith back", "Repairs update for Flat 3",
        "She would like replies by post", "He prefers a hard copy of our response",
        "Posted on the residents' Facebook group", "Letterbox broken at 4 Ash Court",
        "We sent her a letter last week", "Letter from the repairs team to Mrs Bello"}) {
    EXPECT_FALSE(NoteSaysLetter(note)) << note;
  }
}

}  // namespace
}  // namespace complaints
