// The classifier: its tokens, its model file, deterministic training, the Code's bias on texts it
// has never seen, the project's held-out figure, and (when ../shared is present) the development
// sets, as a guard against getting worse.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "daemon/ctl/commands.h"
#include "daemon/intake/classifier_training.h"
#include "daemon/service/components.h"
#include "daemon/service/daemon_config.h"
#include "parsers/classifier.h"
#include "parsers/text_model.h"
#include "parsers/word_model.h"

namespace complaints {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ClassifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::shared_ptr<const TextModel>> m = LoadTextModelFile(COMPLAINTSD_MODEL_PATH);
    ASSERT_TRUE(m.ok()) << m.error();
    model_ = new std::shared_ptr<const TextModel>(*m);
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("classifier_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static CueVerdict Label(const std::string& text) { return Classify(model_->get(), "", text); }

  // Trains on the shipped corpus, measured as `measure` says (--holdout or --folds), and checks
  // the headline: the issue asks complaint recall of at least 0.97 on held-out examples. Returns
  // the command's output.
  std::string ExpectComplaintRecallOnTheShippedCorpus(const std::vector<std::string>& measure,
                                                      const std::string& headline) {
    std::vector<std::string> args = {"train", "--out", (dir_ / "measured.bin").string()};
    args.insert(args.end(), measure.begin(), measure.end());
    std::ostringstream out, err;
    EXPECT_EQ(RunClassifierCommand(args, out, err), 0) << err.str();
    std::smatch m;
    const std::string text = out.str();
    EXPECT_TRUE(std::regex_search(text, m, std::regex("complaint recall ([0-9.]+) " + headline)))
        << text;
    if (!m.empty()) {
      EXPECT_GE(std::stod(m[1]), 0.97) << text;
    }
    return text;
  }

  // The certainty tiers' headline (issue 17) for `where`: on the landlord examples, label
  // accuracy at least 0.90, complaint recall at least 0.97, and at most 5% of non-complaints
  // acknowledged as complaints. The figures measured are in docs/measurements.md; the targets
  // here leave them a margin.
  static void ExpectTheTiersTargets(const std::string& text, const std::string& where) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        text, m,
        std::regex("headline: " + where +
                   ": label accuracy ([0-9.]+), complaint recall ([0-9.]+), complaint acks to "
                   "non-complaints ([0-9.]+), triage ([0-9.]+)")))
        << text;
    EXPECT_GE(std::stod(m[1]), 0.90) << text;
    EXPECT_GE(std::stod(m[2]), 0.97) << text;
    EXPECT_LE(std::stod(m[3]), 0.05) << text;
    EXPECT_LE(std::stod(m[4]), 0.25) << text;  // the staff time the receipt costs
  }

  static std::shared_ptr<const TextModel>* model_;
  std::filesystem::path dir_;
};

std::shared_ptr<const TextModel>* ClassifierTest::model_ = nullptr;

TEST(ModelTokensTest, LowerCaseWordsNumbersAddressesAndHandles) {
  EXPECT_EQ(ModelTokens("Still NO heating!! Day 9. See https://x.example/a?b=1 @WestwayHelp"),
            "still no heating ! ! day 0 see url @user");
  EXPECT_EQ(ModelTokens("I've rung 3 times, e.g. on 12/05/2026 -- nobody's rung back?"),
            "i've rung 0 times e g on 0 nobody's rung back ?");
  EXPECT_EQ(ModelTokens("\t\r\n"), "");
}

TEST(TextModelTest, RefusesWhatIsNotAModel) {
  EXPECT_FALSE(TextModel::FromBytes("").ok());
  Result<std::shared_ptr<const TextModel>> text = TextModel::FromBytes("hello, not a model");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().find("wrong signature"), std::string::npos) << text.error();
  std::string truncated = Slurp(COMPLAINTSD_MODEL_PATH).substr(0, 4000);
  EXPECT_FALSE(TextModel::FromBytes(truncated).ok());
  // The word model follows fastText's in the file: without it the file still loads (fastText
  // alone); with it damaged, the file is refused.
  const std::string whole = Slurp(COMPLAINTSD_MODEL_PATH);
  const size_t words = whole.rfind("CMPLWM01");
  ASSERT_NE(words, std::string::npos);
  Result<std::shared_ptr<const TextModel>> both = TextModel::FromBytes(whole);
  ASSERT_TRUE(both.ok()) << both.error();
  EXPECT_TRUE((*both)->HasWordModel());
  Result<std::shared_ptr<const TextModel>> alone = TextModel::FromBytes(whole.substr(0, words));
  ASSERT_TRUE(alone.ok()) << alone.error();
  EXPECT_FALSE((*alone)->HasWordModel());
  Result<std::shared_ptr<const TextModel>> damaged =
      TextModel::FromBytes(whole.substr(0, whole.size() - 3));
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().find("after the fastText model"), std::string::npos) << damaged.error();
  // A word model for other labels than fastText's is refused, not mixed in.
  Result<WordModel> other = WordModel::Train({{"a", "one"}, {"b", "two"}});
  ASSERT_TRUE(other.ok());
  Result<std::shared_ptr<const TextModel>> mixed =
      TextModel::FromBytes(whole.substr(0, words) + other->Bytes());
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.error().find("other labels"), std::string::npos) << mixed.error();
  Result<std::shared_ptr<const TextModel>> missing = LoadTextModelFile("/nonexistent/model.bin");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("complaintsctl classifier train"), std::string::npos);
}

TEST_F(ClassifierTest, TrainingIsDeterministicAndTheCorpusIsChecked) {
  std::vector<TrainingExample> examples = {
      {"complaint", "nobody came again, third time I have waited in"},
      {"complaint", "still no hot water and no one rings back"},
      {"compliment", "the plumber was lovely, thank you so much"},
      {"compliment", "brilliant service from the repairs team"},
      {"service_request", "please could someone fix the kitchen tap"},
      {"service_request", "can I have a rent statement please"},
  };
  const std::string a = (dir_ / "a.bin").string(), b = (dir_ / "b.bin").string();
  ASSERT_TRUE(TrainTextModel(examples, TrainingSettings{}, a).ok());
  ASSERT_TRUE(TrainTextModel(examples, TrainingSettings{}, b).ok());
  EXPECT_EQ(Slurp(a), Slurp(b));
  EXPECT_FALSE(std::filesystem::exists(a + ".partial"));

  std::ofstream(dir_ / "bad.tsv") << "complaint\tfine\nrant\tnot a label\n";
  Result<std::vector<TrainingExample>> bad = LoadTrainingExamples((dir_ / "bad.tsv").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("bad.tsv: line 2: unknown label 'rant'"), std::string::npos)
      << bad.error();
  std::ofstream(dir_ / "tabless.tsv") << "complaint no tab here\n";
  EXPECT_FALSE(LoadTrainingExamples((dir_ / "tabless.tsv").string()).ok());

  Result<std::vector<TrainingExample>> shipped =
      LoadTrainingExamples(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/classifier/corpus");
  ASSERT_TRUE(shipped.ok()) << shipped.error();
  std::map<std::string, int> per;
  for (const TrainingExample& e : *shipped) ++per[e.label];
  EXPECT_GE(shipped->size(), 1500u);
  EXPECT_EQ(per.size(), 6u);
  for (const auto& [label, n] : per) EXPECT_GE(n, 150) << label;
}

// Texts written for this test, not in the corpus: the Code's hard cases.
TEST_F(ClassifierTest, TheCodesRuleWinsOnTextsItHasNotSeen) {
  struct Case {
    const char* text;
    const char* label;
  } cases[] = {
      {"Well done everyone, a whole month to not fix a broken front door lock. Marvellous.",
       "complaint"},
      {"Could you send someone about the bath tap please, this is now the fourth time I have "
       "asked and each visit the man leaves without the right part",
       "complaint"},
      {"I am sorry to trouble you but the gentleman on your phone line was quite rude to me "
       "yesterday and put the phone down",
       "complaint"},
      {"The man upstairs plays drum and bass until 3am every night and kicks my door when I "
       "knock",
       "asb"},
      {"Please can someone look at the hallway light, the bulb has gone. Thanks",
       "service_request"},
      {"Just wanted to say a huge thank you to Priya who sorted my rent account so kindly",
       "compliment"},
      {"It would be nice if the newsletter had a page of events for the children in the holidays",
       "comment"},
  };
  for (const Case& c : cases) {
    const CueVerdict v = Label(c.text);
    EXPECT_EQ(v.label, c.label) << c.text;
    EXPECT_GT(v.confidence, 0.0);
    EXPECT_FALSE(v.cues.empty());
  }
}

TEST_F(ClassifierTest, UnsureBetweenComplaintAndAnythingElseMeansComplaintForReview) {
  ClassifierSettings always_review;
  always_review.complaint_floor = 0.0;  // any chance at all of a complaint
  const CueVerdict v =
      Classify(model_->get(), "", "Please can someone look at the hallway light", always_review);
  EXPECT_EQ(v.label, "complaint");
  EXPECT_TRUE(v.needs_review);
  EXPECT_NE(v.cues.front().find("possible complaint"), std::string::npos) << v.cues.front();
  const CueVerdict without = Classify(nullptr, "", "The boiler is still broken, third visit");
  EXPECT_EQ(without.cues.front(), "rules only (no model)");
}

TEST_F(ClassifierTest, HeldOutComplaintRecallOnTheProjectsCorpus) {
  const std::string text =
      ExpectComplaintRecallOnTheShippedCorpus({"--holdout", "20"}, "on the held-out slice");
  // The housing slice: the held-out examples outside the general-*.tsv files.
  EXPECT_NE(text.find("the housing slice: the held-out examples outside the general-*.tsv"),
            std::string::npos)
      << text;
  ExpectTheTiersTargets(text, "the housing slice");
}

// Cross-validation: every example answered by a model that did not see it, then the model trained
// on everything. Its figure on the shipped corpus is in docs/measurements.md; here, the mechanics.
TEST_F(ClassifierTest, CrossValidationReportsEveryExampleOnce) {
  std::ofstream corpus(dir_ / "small.tsv");
  for (int i = 0; i < 12; ++i) {
    corpus << "complaint\tnobody came again, still broken " << i << "\n"
           << "compliment\tthank you, lovely job " << i << "\n"
           << "service_request\tplease fix the tap " << i << "\n";
  }
  corpus.close();
  const std::string model = (dir_ / "cv.bin").string();
  std::ostringstream out, err;
  const std::string scores = (dir_ / "scores.jsonl").string();
  ASSERT_EQ(RunClassifierCommand({"train", "--corpus", (dir_ / "small.tsv").string(), "--out",
                                  model, "--folds", "3", "--scores", scores},
                                 out, err),
            0)
      << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("3-fold cross-validation over 36 examples"), std::string::npos) << text;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      text, m,
      std::regex(R"(complaint +precision [0-9.]+ +recall ([0-9.]+) +F1 [0-9.]+ +\((\d+) texts\))")))
      << text;
  EXPECT_EQ(m[2], "12");  // each complaint answered once
  EXPECT_GE(std::stod(m[1]), 0.9) << text;
  EXPECT_TRUE(std::filesystem::exists(model));
  EXPECT_FALSE(std::filesystem::exists(model + ".fold"));

  // --scores: one line per example, from the model that did not see it, whose distribution and
  // rules' verdict give back the label that the report counted.
  std::ifstream lines(scores);
  std::map<std::string, int> gold;
  int agreeing = 0;
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json v = nlohmann::json::parse(line);
    ++gold[v.at("gold").get<std::string>()];
    double sum = 0;
    for (const auto& [label, p] : v.at("scores").items()) sum += p.get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-3) << line;
    EXPECT_TRUE(v.at("rules").contains("label") && v.at("rules").contains("confidence")) << line;
    agreeing += v.at("gold") == v.at("label");
    const double chance = v.at("complaint_chance").get<double>();
    EXPECT_TRUE(chance >= 0 && chance <= 1) << line;
    // Below the floor, only the models and rules can have made it a complaint.
    if (v.at("label") != "complaint") {
      EXPECT_LT(chance, ClassifierSettings{}.complaint_floor) << line;
    }
  }
  EXPECT_EQ(gold, (std::map<std::string, int>{
                      {"complaint", 12}, {"compliment", 12}, {"service_request", 12}}));
  EXPECT_GE(agreeing, 30);

  std::ostringstream out2, err2;
  EXPECT_EQ(RunClassifierCommand({"train", "--out", model, "--folds", "3", "--holdout", "20"}, out2,
                                 err2),
            2);
  EXPECT_NE(err2.str().find("give one"), std::string::npos) << err2.str();
  std::ostringstream out3, err3;
  EXPECT_EQ(RunClassifierCommand({"train", "--out", model, "--folds", "1"}, out3, err3), 2);
  std::ostringstream out4, err4;
  EXPECT_EQ(RunClassifierCommand({"train", "--out", model, "--scores", scores}, out4, err4), 2);
  EXPECT_NE(err4.str().find("--scores needs --folds"), std::string::npos) << err4.str();
  std::ostringstream out5, err5;
  EXPECT_EQ(RunClassifierCommand({"train", "--out", model, "--folds", "3", "--scores",
                                  (dir_ / "no-such-dir" / "s.jsonl").string()},
                                 out5, err5),
            2);
  EXPECT_NE(err5.str().find("cannot be written"), std::string::npos) << err5.str();
}

// The stricter measure of the same requirement: every example of the corpus classified by a model
// that did not see it (docs/measurements.md, The classifier: the floor was chosen for this figure).
TEST_F(ClassifierTest, CrossValidatedComplaintRecallOnTheProjectsCorpus) {
  const std::string text =
      ExpectComplaintRecallOnTheShippedCorpus({"--folds", "5"}, "in 5-fold cross-validation");
  // The shipped thresholds were chosen from this table (docs/measurements.md): it lists them.
  ExpectTheTiersTargets(text, "housing examples in 5-fold cross-validation");
  char shipped[64];
  std::snprintf(shipped, sizeof shipped, "*  %.2f   %.2f", ClassifierSettings{}.complaint_floor,
                ClassifierSettings{}.complaint_sure);
  EXPECT_NE(text.find("candidate thresholds"), std::string::npos) << text;
  EXPECT_NE(text.find(shipped), std::string::npos) << text;
}

// The tiers measured from one untiered answer (the threshold table) decide as Classify does.
TEST_F(ClassifierTest, TheThresholdTableDecidesAsClassifyDoes) {
  const char* texts[] = {
      "Thank you to the caretaker at Fern Court for clearing the snow from the ramp this morning",
      "Dear Sir, please could you repair my bedroom window and the dripping bath tap. Regards",
      "I want to complain about my neighbour, his dog barks from six in the morning",
      "Third time nobody turned up for the boiler repair, I am really fed up now",
      "It would be nice to have a bench by the front door of the block",
      "Re your email, thanks, see you on Friday",
      "Great. Another week without hot water. Thanks a lot.",
  };
  for (const double floor : {0.05, 0.13, 0.3}) {
    for (const double sure : {0.3, 0.5, 0.6, 0.9}) {
      ClassifierSettings settings;
      settings.complaint_floor = floor;
      settings.complaint_sure = sure;
      for (const char* text : texts) {
        const CueVerdict v = Classify(model_->get(), "", text, settings);
        const TierOutcome o = ApplyTiers(Untiered(model_->get(), "x", text), floor, sure);
        EXPECT_EQ(o.label, v.label) << floor << " " << sure << " " << text;
        EXPECT_EQ(o.uncertain, v.uncertain) << floor << " " << sure << " " << text;
        EXPECT_EQ(o.alternative, v.alternative) << floor << " " << sure << " " << text;
      }
    }
  }
}

// The definitions the figures use (classifier_training.h).
TEST(TierFiguresTest, CountUncertainOnesAsTheIssueDefinesThem) {
  const TierFigures f = MeasureTiers({
      {"complaint", "complaint", false, ""},              // acknowledged: right
      {"complaint", "complaint", true, "comment"},        // receipt: right, found
      {"complaint", "service_request", false, ""},        // a typed repair reply: missed
      {"compliment", "complaint", true, "compliment"},    // receipt, the alternative: right
      {"comment", "complaint", true, "service_request"},  // receipt, neither: wrong
      {"service_request", "complaint", false, ""},        // acknowledged as a complaint: wrong
      {"asb", "asb", false, ""},                          // right
      {"other", "comment", false, ""},                    // wrong
  });
  EXPECT_EQ(f.texts, 8);
  EXPECT_EQ(f.complaints, 3);
  EXPECT_EQ(f.non_complaints, 5);
  EXPECT_DOUBLE_EQ(f.accuracy, 4.0 / 8);
  EXPECT_DOUBLE_EQ(f.strict_accuracy, 3.0 / 8);
  EXPECT_DOUBLE_EQ(f.complaint_recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(f.false_complaint_acks, 1.0 / 5);
  EXPECT_DOUBLE_EQ(f.triage, 3.0 / 8);
  EXPECT_EQ(MeasureTiers({}).texts, 0);
  EXPECT_TRUE(IsHousingFile("housing-repairs.tsv"));
  EXPECT_TRUE(IsHousingFile("complaint.tsv"));
  EXPECT_FALSE(IsHousingFile("general-other-tweets.tsv"));
}

// The confusions issue 17 names, in texts written for this test (not in the corpus): none of
// them may be acknowledged as a complaint; they are answered by their own label or, unsure,
// with the neutral receipt. Dissatisfaction from a representative or an MP is a complaint.
TEST_F(ClassifierTest, TheIssuesConfusionsGetNoComplaintAcknowledgement) {
  const char* not_complaints[] = {
      "Please can you thank Maurice the caretaker at Larch House, he carried my new mattress "
      "up four flights when the lift was being serviced. A real gentleman.",
      "I complained about the damp last year and I just want to say the new fan has solved "
      "it. Thank you all.",
      "Dear Sir, I would be grateful if you could send someone to repair the kitchen "
      "extractor and to look at the front gate, which has dropped on its hinges. Yours "
      "faithfully, Mrs E. Lowe",
      "No complaints about the flat at all, but could you have a look at the loft hatch? It "
      "won't close properly.",
      "I want to complain about my neighbour at number 8, he revs his motorbike outside my "
      "bedroom window at midnight.",
      "It's a little irritating that the bin store code changes without notice. Maybe text "
      "everyone the new code?",
  };
  for (const char* text : not_complaints) {
    const CueVerdict v = Label(text);
    EXPECT_FALSE(v.label == "complaint" && !v.uncertain) << v.label << ": " << text;
  }
  const char* dissatisfied[] = {
      "Dear Chief Executive, I write on behalf of my constituent Mr Farouk, whose bathroom "
      "ceiling has leaked for five months despite repeated reports. I find the delay "
      "unacceptable and would ask for a full explanation.",
      "I'm writing for my aunt, who is 88. Your engineer has failed to turn up three times to "
      "fix her heating and nobody has called her to explain.",
      "Lovely, another month with a broken lift. Really great work, everyone.",
  };
  for (const char* text : dissatisfied) EXPECT_EQ(Label(text).label, "complaint") << text;
}

// A set labelled with our own labels is measured by the tiers too (`classify --eval`).
TEST_F(ClassifierTest, EvalOfOurOwnLabelsReportsTheTiers) {
  std::ofstream(dir_ / "own.tsv") << "id\tlabel\ttext\n"
                                  << "1\tcompliment\tthank you, lovely job\n"
                                  << "2\tcomplaint\tthe boiler is broken again, fourth time\n"
                                  << "3\tservice_request\tplease could you fix the tap\n";
  std::ostringstream out, err;
  ASSERT_EQ(RunClassifyCommand({"--eval", (dir_ / "own.tsv").string()}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("label accuracy"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("complaint acks to non-complaints"), std::string::npos) << out.str();
}

TEST_F(ClassifierTest, TextModeAnswersEveryLineInOrder) {
  // --text reads stdin; here through a file on descriptor 0 of a child is overkill: the command
  // reads std::cin, so swap its buffer.
  std::istringstream input("the boiler is broken again, fourth time\nthank you, lovely job\n\n");
  std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
  std::ostringstream out, err;
  const int code = RunClassifyCommand({"--text"}, out, err);
  std::cin.rdbuf(saved);
  ASSERT_EQ(code, 0) << err.str();
  std::istringstream lines(out.str());
  std::vector<std::string> got;
  for (std::string l; std::getline(lines, l);) got.push_back(l);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_NE(got[0].find("\"label\":\"complaint\""), std::string::npos) << got[0];
  EXPECT_NE(got[1].find("\"label\":\"compliment\""), std::string::npos) << got[1];
  EXPECT_NE(got[2].find("\"confidence\""), std::string::npos) << got[2];
}

// --floor moves the Code's preference for measurement: 0 makes everything a possible complaint,
// 1 leaves the models' and rules' own top label.
TEST_F(ClassifierTest, FloorOptionMovesTheCodesPreference) {
  auto run = [](const std::vector<std::string>& args, const std::string& text) {
    std::istringstream input(text);
    std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
    std::ostringstream out, err;
    const int code = RunClassifyCommand(args, out, err);
    std::cin.rdbuf(saved);
    return std::make_pair(code, out.str() + err.str());
  };
  const std::string praise = "thank you, lovely job\n";
  EXPECT_NE(run({"--text"}, praise).second.find("\"label\":\"compliment\""), std::string::npos);
  const auto [code0, all] = run({"--text", "--floor", "0"}, praise);
  EXPECT_EQ(code0, 0);
  EXPECT_NE(all.find("\"label\":\"complaint\""), std::string::npos) << all;
  EXPECT_NE(all.find("possible complaint"), std::string::npos) << all;
  const std::string mixed =
      "the boiler is broken again\nthank you\ncan you fix the tap\n@someone hello there\nok\n";
  const auto [code1, none] = run({"--text", "--floor", "1"}, mixed);
  EXPECT_EQ(code1, 0);
  EXPECT_EQ(std::count(none.begin(), none.end(), '\n'), 5) << none;
  EXPECT_EQ(none.find("possible complaint"), std::string::npos) << none;
  for (const std::string bad : {"x", "-0.1", "1.5", "", "nan", "0.5x"}) {
    const auto [code, message] = run({"--text", "--floor", bad}, praise);
    EXPECT_EQ(code, 2) << bad;
    EXPECT_NE(message.find("invalid --floor '" + bad + "': expected a probability from 0 to 1"),
              std::string::npos)
        << message;
  }
}

// The daemon's classifier takes the floor from its configuration (classifier.complaint-floor).
TEST_F(ClassifierTest, TheDaemonsClassifierUsesTheConfiguredFloor) {
  DaemonConfig config;
  config.classifier_model = COMPLAINTSD_MODEL_PATH;
  Result<std::unique_ptr<MessageClassifier>> shipped = MakeClassifier(config);
  ASSERT_TRUE(shipped.ok()) << shipped.error();
  EXPECT_EQ((*shipped)->Classify("Thanks", "thank you, lovely job").label, "compliment");
  config.classifier_complaint_floor = 0.0;
  Result<std::unique_ptr<MessageClassifier>> wary = MakeClassifier(config);
  ASSERT_TRUE(wary.ok()) << wary.error();
  const Classification c = (*wary)->Classify("Thanks", "thank you, lovely job");
  EXPECT_EQ(c.label, "complaint");
  EXPECT_TRUE(c.needs_review);
}

// The development sets are other people's data (../shared/corpora); issue 5's targets are not
// reached (docs/measurements.md, The classifier). Issue 17's floors are what this guards: the
// figures when it was filed. Training is deterministic (one thread, a fixed seed: the same model
// in every build folder, the sanitizer build's too), so the shipped figures are exact.
TEST_F(ClassifierTest, DevelopmentSetsDoNotGetWorse) {
  const std::string dir = std::string(COMPLAINTSD_SHARED_DIR) + "/corpora/classify";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " is absent: not measured";
  struct Set {
    const char* file;
    const char* headline;
    double floor;
  } sets[] = {{"complaints-dev.tsv", "macro-F1", 0.670},    // measured 0.680 (docs/measurements.md)
              {"nhs-feedback-dev.tsv", "accuracy", 0.898},  // 0.898 (mean of 8 orders 0.905)
              {"suggestions-dev.tsv", "suggestion F1", 0.666}};  // 0.671 (mean of 8 orders 0.670)
  for (const Set& s : sets) {
    std::ostringstream out, err;
    ASSERT_EQ(RunClassifyCommand({"--eval", dir + "/" + s.file}, out, err), 0) << err.str();
    std::smatch m;
    const std::string text = out.str();
    ASSERT_TRUE(std::regex_search(text, m, std::regex(std::string(s.headline) + " ([0-9.]+)")))
        << text;
    EXPECT_GE(std::stod(m[1]), s.floor) << s.file << "\n" << text;
  }
}

}  // namespace
}  // namespace complaints
