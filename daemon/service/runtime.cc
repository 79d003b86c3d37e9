#include "daemon/service/runtime.h"

#include "daemon/cases/case_engine.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/outgoing/mail_templates.h"
#include "daemon/privacy/sqlite_privacy_store.h"
#include "daemon/privacy/store_files.h"
#include "daemon/service/components.h"

namespace complaints {

struct Runtime::Parts {
  std::unique_ptr<SqliteCaseStore> store;
  // The status server's own connection (its threads must not share the service's), opened on
  // the first /metrics request.
  std::string store_path;
  std::unique_ptr<SqliteCaseStore> gauge_store;
  Policy policy;
  std::unique_ptr<MailTemplates> templates;
  std::unique_ptr<BusinessHours> hours;
  std::unique_ptr<CaseEngine> engine;
  std::unique_ptr<CaseMailer> mailer;
  std::unique_ptr<MailReader> reader;
  std::unique_ptr<MessageClassifier> classifier;
  std::unique_ptr<LetterReader> letters;
  std::unique_ptr<SpamFilter> spam;
  std::unique_ptr<Intake> intake;
  std::shared_ptr<OAuth2Tokens> tokens;  // shared by source and transport
  std::unique_ptr<MailSource> source;
  std::unique_ptr<MailTransport> transport;
  std::unique_ptr<MailboxWatcher> mailbox;
  std::unique_ptr<OutboxSender> outbox;
  std::unique_ptr<DeadlineWatcher> deadlines;
  std::unique_ptr<DailyDigest> digest;
  std::unique_ptr<MonthlyReportMail> monthly;
  std::unique_ptr<SqlitePrivacyStore> privacy;
  std::unique_ptr<RetentionPass> retention;
  std::unique_ptr<Service> service;
  const Clock* clock = nullptr;
};

namespace {

// An acknowledgement counts from when it went out: the response clock may start there.
void RecordAcknowledgement(Runtime::Parts& p, const OutboxItem& item, const Service::Logger& log) {
  if (item.kind != "ack-stage") return;
  const std::optional<std::string> reference = p.mailer->signer().ReferenceOf(item.message_id);
  if (!reference) return;
  const Result<CaseRecord> c = p.store->FindCase(*reference);
  if (!c || c->status != case_status::kOpen || c->stage < 1) return;
  const StageRecord* stage = c->CurrentStage();
  if (stage == nullptr || stage->acknowledged_at) return;
  if (Result<CaseRecord> done = p.engine->Acknowledge(*reference, "complaintsd"); !done) {
    log("recording the acknowledgement of " + *reference + ": " + done.error());
  }
}

// A message that could not be delivered at all: the case is flagged for staff.
void RecordFailure(Runtime::Parts& p, const OutboxItem& item, const std::string& detail,
                   const Service::Logger& log) {
  log("mail " + std::to_string(item.id) + " (" + item.kind + ") failed for good: " + detail);
  const std::optional<std::string> reference = p.mailer->signer().ReferenceOf(item.message_id);
  if (!reference) return;
  p.engine->Amend(
      *reference, [&](StoreTransaction&, CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        c.needs_review = true;
        if (!c.HasFlag("mail-failed")) c.flags.push_back("mail-failed");
        h.push_back({p.clock->Now(), "complaintsd", "mail_failed", item.kind + ": " + detail});
        return Status::Ok();
      });
}

}  // namespace

Result<std::unique_ptr<Runtime>> Runtime::Build(const DaemonConfig& config, const Clock& clock,
                                                Service::Logger log, std::function<void()> alive) {
  using R = Result<std::unique_ptr<Runtime>>;
  auto p = std::make_unique<Parts>();
  p->clock = &clock;
  Result<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(config.store_path);
  if (!store) return R::Error("store.path: " + store.error());
  p->store = std::move(store).value();
  p->store_path = config.store_path;
  // Residents' personal data: the store's files are the service's alone (docs/privacy.md).
  if (Status s = KeepStoreFilesPrivate(config.store_path); !s) log("warning: " + s.error());
  for (const std::string& problem : StoreFileProblems(config.store_path)) {
    log("warning: " + problem);
  }
  Result<std::unique_ptr<SqlitePrivacyStore>> privacy = SqlitePrivacyStore::Open(config.store_path);
  if (!privacy) return R::Error("store.path: " + privacy.error());
  p->privacy = std::move(privacy).value();
  p->retention = std::make_unique<RetentionPass>(*p->privacy, config.retention, clock);
  Result<Policy> policy = LoadPolicy(config.policy_file);
  if (!policy) return R::Error("policy.file: " + policy.error());
  p->policy = std::move(policy).value();
  Result<MailTemplates> templates = MailTemplates::Load(config.templates_dir);
  if (!templates) return R::Error("templates.dir: " + templates.error());
  p->templates = std::make_unique<MailTemplates>(std::move(templates).value());
  CalendarSettings calendar = config.calendar;
  calendar.division = p->policy.division;  // the policy's division and hours win
  calendar.close_of_business = p->policy.close_of_business;
  Result<BusinessHours> hours = BuildBusinessHours(calendar);
  if (!hours) return R::Error("calendar: " + hours.error());
  p->hours = std::make_unique<BusinessHours>(*hours);
  p->engine = std::make_unique<CaseEngine>(*p->store, p->policy, *p->hours, clock);
  // An acknowledgement sent just before the process died, but not yet recorded on its stage:
  // recorded now, at the time it went, so the response clock starts where it should.
  if (Result<std::vector<std::string>> recorded =
          p->engine->RecordSentAcknowledgements("complaintsd");
      !recorded) {
    log("recording acknowledgements already sent: " + recorded.error());
  } else if (!recorded->empty()) {
    log("recorded " + std::to_string(recorded->size()) +
        " acknowledgement(s) sent before a restart");
  }
  p->mailer = std::make_unique<CaseMailer>(*p->templates, p->policy, *p->hours, config.mail, clock);
  Result<std::unique_ptr<MailReader>> reader = MakeMailReader(p->policy);
  if (!reader) return R(reader.status());
  p->reader = std::move(reader).value();
  Result<std::unique_ptr<MessageClassifier>> classifier = MakeClassifier(config);
  if (!classifier) return R(classifier.status());
  p->classifier = std::move(classifier).value();
  p->intake = std::make_unique<Intake>(*p->store, *p->engine, *p->mailer, *p->reader,
                                       *p->classifier, clock);
  if (config.letters.enabled) {
    p->letters = std::make_unique<ChildLetterReader>(config.letters.reader);
    p->intake->EnableLetters(
        *p->letters, {ReferencePattern(p->policy.reference_format), config.letters.return_address});
  }
  if (config.spam.check) {
    SpamSettings spam = config.spam.settings;
    if (spam.landlord_name.empty()) spam.landlord_name = p->policy.landlord;
    p->spam = std::make_unique<SpamChecker>(spam, config.spam.spamd);
    p->intake->EnableSpamFilter(*p->spam);
  }
  p->tokens =
      MakeOAuth2Tokens(config, clock, [log](const std::string& w) { log("warning: " + w); });
  Result<std::unique_ptr<MailSource>> source = MakeMailSource(config.mailbox, p->tokens);
  if (!source) return R(source.status());
  p->source = std::move(source).value();
  Result<std::unique_ptr<MailTransport>> transport =
      MakeMailTransport(config.sender, config.mail, p->tokens);
  if (!transport) return R(transport.status());
  p->transport = std::move(transport).value();
  p->mailbox = std::make_unique<MailboxWatcher>(
      *p->source, *p->store, *p->intake,
      WatcherFolders{config.mailbox.processed_folder, config.mailbox.quarantine_folder, 100,
                     config.mailbox.spam_folder});
  Parts* raw = p.get();
  p->outbox = std::make_unique<OutboxSender>(
      *p->store, *p->transport, clock, config.outbox,
      [raw, log](const OutboxItem& item, const std::string&) {
        RecordAcknowledgement(*raw, item, log);
      },
      [raw, log](const OutboxItem& item, const std::string& detail) {
        RecordFailure(*raw, item, detail, log);
      });
  WatcherSettings watcher = config.watcher;
  watcher.resident_notice_promised = p->policy.promises_late_notice;
  p->deadlines =
      std::make_unique<DeadlineWatcher>(*p->store, *p->mailer, *p->hours, watcher, clock);
  p->deadlines->EnableTriageDecision(*p->engine, config.triage);
  p->digest =
      std::make_unique<DailyDigest>(*p->store, *p->mailer, *p->hours, config.digest_at, clock);
  p->monthly = std::make_unique<MonthlyReportMail>(*p->store, *p->mailer, *p->hours,
                                                   config.monthly_to, config.digest_at, clock);
  Service::Timing timing;
  timing.deadline_interval = config.watcher_interval;
  timing.outage_alert_after = config.mailbox.outage_alert_after;
  p->service = std::make_unique<Service>(
      Service::Parts{p->mailbox.get(), p->source.get(), p->outbox.get(), p->deadlines.get(),
                     p->digest.get(), p->store.get(), p->mailer.get(), &clock, alive,
                     p->monthly.get(), p->retention.get()},
      timing, std::move(log));
  return std::unique_ptr<Runtime>(new Runtime(std::move(p)));
}

Runtime::Runtime(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Runtime::~Runtime() = default;
Service& Runtime::service() { return *parts_->service; }
Result<MailboxWatcher::Pass> Runtime::Ingest() { return parts_->mailbox->RunOnce(); }
Result<IntakeOutcome> Runtime::Release(int64_t message_row, const std::string& actor) {
  return parts_->intake->Release(message_row, actor);
}
CaseStore& Runtime::store() { return *parts_->store; }

std::map<std::string, long> Runtime::Gauges() {
  if (!parts_->gauge_store) {
    Result<std::unique_ptr<SqliteCaseStore>> opened = SqliteCaseStore::Open(parts_->store_path);
    if (!opened) return {{"outbox_waiting", -1}};
    parts_->gauge_store = std::move(opened).value();
  }
  Result<std::vector<OutboxItem>> waiting =
      parts_->gauge_store->DueOutgoing(Instant{std::chrono::seconds{1L << 40}}, 100000);
  return {{"outbox_waiting", waiting ? static_cast<long>(waiting->size()) : -1}};
}

}  // namespace complaints
