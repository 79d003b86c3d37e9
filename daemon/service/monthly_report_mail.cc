#include "daemon/service/monthly_report_mail.h"

#include "daemon/base/digest.h"
#include "daemon/calendar/london_time.h"
#include "daemon/reports/monthly_report.h"

namespace complaints {

MonthlyReportMail::MonthlyReportMail(CaseStore& store, CaseMailer& mailer,
                                     const BusinessHours& hours,
                                     std::vector<std::string> recipients,
                                     std::chrono::minutes send_at, const Clock& clock)
    : store_(store),
      mailer_(mailer),
      hours_(hours),
      recipients_(std::move(recipients)),
      send_at_(send_at),
      clock_(clock) {}

Result<int> MonthlyReportMail::RunOnce() {
  using namespace std::chrono;
  if (recipients_.empty()) return 0;
  const LondonTime local = ToLondon(clock_.Now());
  const year_month_day today(local.day);
  const sys_days first_working =
      hours_.calendar().EffectiveDay(sys_days(today.year() / today.month() / 1));
  if (local.day < first_working || (local.day == first_working && local.time_of_day < send_at_)) {
    return 0;
  }
  const year_month last = today.year() / today.month() - months{1};
  const int year = static_cast<int>(last.year());
  const unsigned month = static_cast<unsigned>(last.month());
  const std::string month_code =
      std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month);
  // Which recipients still need it: one Message-ID per month and address.
  std::vector<std::pair<std::string, std::string>> owed;  // address, unique
  for (const std::string& to : recipients_) {
    const std::string unique = "monthly-" + month_code + "-" + Sha256Hex(to).substr(0, 16);
    const std::string message_id =
        "cd.notice." + unique + "@" + mailer_.settings().message_id_domain;
    bool sent = false;
    Status read = store_.InTransaction([&](StoreTransaction& txn) -> Status {
      Result<bool> has = txn.OutboxHas(message_id);
      if (!has) return has.status();
      sent = *has;
      return Status::Ok();
    });
    if (!read) return Result<int>(read);
    if (!sent) owed.push_back({to, unique});
  }
  if (owed.empty()) return 0;
  Result<MonthlyReport> report = ComputeMonthlyReport(store_, hours_, year, month, clock_.Now());
  if (!report) return Result<int>(report.status());
  const std::string text = MonthlyText(*report);
  int queued = 0;
  for (const auto& [to, unique] : owed) {
    Status done = store_.InTransaction([&](StoreTransaction& txn) -> Status {
      CaseMailer::Outgoing mail;
      mail.template_name = "monthly-report";
      mail.to = {"", to};
      mail.values = {
          {"month_name", MonthName(year, month)}, {"month", month_code}, {"report", text}};
      mail.automatic = false;
      mail.unique = unique;
      Result<std::optional<OutboxItem>> item = mailer_.Queue(txn, mail, nullptr);
      if (!item) return item.status();
      queued += item->has_value() ? 1 : 0;
      return Status::Ok();
    });
    if (!done) return Result<int>(done);
  }
  return queued;
}

}  // namespace complaints
