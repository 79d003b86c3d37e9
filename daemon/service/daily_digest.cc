#include "daemon/service/daily_digest.h"

#include "daemon/calendar/bank_holidays.h"
#include "daemon/calendar/london_time.h"
#include "daemon/service/deadline_watcher.h"

namespace complaints {
namespace {

// Where the last message listed is kept: a cursor row of its own beside the mailboxes'.
constexpr const char* kDigestMark = "daily-digest";
constexpr const char* kDigestMarkFolder = "messages that opened no case";
constexpr size_t kMostListed = 500;

}  // namespace

DailyDigest::DailyDigest(CaseStore& store, CaseMailer& mailer, const BusinessHours& hours,
                         std::chrono::minutes send_at, const Clock& clock)
    : store_(store), mailer_(mailer), hours_(hours), send_at_(send_at), clock_(clock) {}

Result<bool> DailyDigest::RunOnce() {
  const std::string& manager = mailer_.settings().manager_address;
  if (manager.empty()) return false;
  const Instant now = clock_.Now();
  const LondonTime local = ToLondon(now);
  if (!hours_.calendar().IsWorkingDay(local.day) || local.time_of_day < send_at_) return false;
  const std::string unique = "digest-" + FormatDay(local.day);
  const std::string message_id = "cd.notice." + unique + "@" + mailer_.settings().message_id_domain;
  CaseQuery open;
  open.limit = 1000000;
  Result<std::vector<CaseRecord>> cases = store_.ListCases(open);
  if (!cases) return Result<bool>(cases.status());
  const std::chrono::sys_days tomorrow = hours_.calendar().NextWorkingDay(local.day);
  nlohmann::json due = nlohmann::json::array(), breached = nlohmann::json::array(),
                 undefined = nlohmann::json::array(), unassigned = nlohmann::json::array(),
                 review = nlohmann::json::array();
  for (const CaseRecord& c : *cases) {
    const StageRecord* stage = c.CurrentStage();
    const std::string stage_name = stage ? stage->name : "";
    for (const Deadline& d : c.deadlines) {
      if (!d.open() || d.kind == deadline_kind::kEscalationWindow ||
          d.kind == deadline_kind::kPreFormalWindow) {
        continue;
      }
      const std::string line =
          c.reference + ": " + DeadlineWords(d.kind, stage_name) + ", " + DayInWords(d.due_at);
      if (d.due_at <= now) {
        breached.push_back(line);
      } else if (ToLondon(d.due_at).day <= tomorrow) {
        due.push_back(line);
      }
    }
    if (c.type == CaseType::kComplaint && c.stage >= 1 && c.status == case_status::kOpen) {
      if (c.definition.empty()) undefined.push_back(c.reference + ": " + c.summary);
      if (stage && stage->handler.empty()) unassigned.push_back(c.reference + ": " + stage_name);
    }
    if (c.needs_review) {
      std::string flags;
      for (const std::string& f : c.flags) flags += (flags.empty() ? " (" : ", ") + f;
      review.push_back(c.reference + ": " + std::string(CaseTypeName(c.type)) +
                       (flags.empty() ? "" : flags + ")"));
    }
  }
  // Mail that opened no case (classified other, quarantined, or held as suspected spam) stored
  // since the last message an earlier digest listed: a person looks at each, so that no complaint
  // is missed unseen. The mark is kept with the mailbox cursors; it counts stored messages, not
  // arrival times, so mail that arrived before a digest but was handled after it is in the next
  // one.
  FolderCursor mark;
  Status read = store_.InTransaction([&](StoreTransaction& txn) -> Status {
    Result<std::optional<FolderCursor>> c = txn.GetCursor(kDigestMark, kDigestMarkFolder);
    if (!c) return c.status();
    if (c.value()) mark = **c;
    return Status::Ok();
  });
  if (!read) return Result<bool>(read);
  MessageQuery query;
  query.states = {"review", "quarantined", "spam"};
  query.after_id = mark.last_uid;
  query.limit = static_cast<int>(kMostListed) + 1;
  Result<std::vector<MessageListing>> listed = store_.ListMessages(query);
  if (!listed) return Result<bool>(listed.status());
  std::vector<MessageListing> unopened = std::move(listed).value();
  const bool more = unopened.size() > kMostListed;
  if (more) unopened.resize(kMostListed);  // the rest open the next digest
  nlohmann::json not_opened = nlohmann::json::array();
  for (const MessageListing& m : unopened) {
    not_opened.push_back("message " + std::to_string(m.id) + ", " + DayInWords(m.received_at) +
                         " " + FormatLondonClock(m.received_at) +
                         (m.state == "quarantined" ? " (quarantined): "
                          : m.state == "spam"
                              ? " (held as suspected spam; complaintsctl messages release " +
                                    std::to_string(m.id) + " if it is not): "
                              : ": ") +
                         m.reason);
    mark.last_uid = static_cast<uint32_t>(m.id);
  }
  if (more) {
    not_opened.push_back("and more, in the next digest: complaintsctl messages list shows all");
  }
  bool queued = false;
  Status done = store_.InTransaction([&](StoreTransaction& txn) -> Status {
    Result<bool> sent = txn.OutboxHas(message_id);
    if (!sent) return sent.status();
    if (*sent) return Status::Ok();
    CaseMailer::Outgoing mail;
    mail.template_name = "daily-digest";
    mail.to = {"", manager};
    mail.values = {{"date_words", DayInWords(now)}, {"due", due},
                   {"breached", breached},          {"undefined", undefined},
                   {"unassigned", unassigned},      {"review", review},
                   {"not_opened", not_opened},      {"open_cases", cases->size()}};
    mail.automatic = false;
    mail.unique = unique;
    Result<std::optional<OutboxItem>> item = mailer_.Queue(txn, mail, nullptr);
    if (!item) return item.status();
    if (Status s = txn.SetCursor(kDigestMark, kDigestMarkFolder, mark); !s) return s;
    queued = true;
    return Status::Ok();
  });
  if (!done) return Result<bool>(done);
  return queued;
}

}  // namespace complaints
