#include "daemon/ctl/commands.h"

#include <ostream>

#include "daemon/base/command_line.h"
#include "daemon/calendar/calendar_settings.h"
#include "daemon/calendar/london_time.h"

namespace complaints {
namespace {

constexpr int kUsageError = 2;

constexpr const char* kUsage =
    "usage: complaintsctl calendar holidays --year YYYY [--region R] [--bank-holidays FILE]\n"
    "       complaintsctl calendar add --from YYYY-MM-DD --working-days N [--region R]\n"
    "       complaintsctl calendar due --received ISO-8601 --working-days N [--region R]"
    " [--close HH:MM]\n"
    "Every form also takes --config FILE (calendar.* keys: closures, removed holidays, feed).\n"
    "Regions: england-and-wales (default), scotland, northern-ireland.\n";

// Settings from --config, then the command-line options over them.
Result<CalendarSettings> SettingsFrom(const CommandLine& line) {
  CalendarSettings settings;
  if (auto path = line.Get("config")) {
    Result<ConfigFile> config = ConfigFile::Load(*path);
    if (!config) return Result<CalendarSettings>::Error(config.error());
    Result<CalendarSettings> read = ReadCalendarSettings(*config);
    if (!read) return read;
    settings = *read;
  }
  if (auto region = line.Get("region")) {
    Result<Division> division = ParseDivision(*region);
    if (!division) return Result<CalendarSettings>::Error(division.error());
    settings.division = *division;
  }
  if (auto feed = line.Get("bank-holidays")) settings.bank_holidays_file = *feed;
  if (auto close = line.Get("close")) {
    Result<std::chrono::minutes> minutes = ParseClockTime(*close);
    if (!minutes) return Result<CalendarSettings>::Error(minutes.error());
    settings.close_of_business = *minutes;
  }
  return settings;
}

Result<std::string> Required(const CommandLine& line, const std::string& name) {
  if (auto value = line.Get(name)) return *value;
  return Result<std::string>::Error("missing --" + name);
}

Status Holidays(const CommandLine& line, const BusinessHours& hours, std::ostream& out) {
  Result<std::string> text = Required(line, "year");
  if (!text) return text.status();
  Result<long> year = ParseWholeNumber(*text, "year", 1900, 2199);
  if (!year) return year.status();
  for (const BankHoliday& h : hours.calendar().BankHolidays(static_cast<int>(*year))) {
    out << FormatDay(h.day) << '\n';
  }
  return Status::Ok();
}

Result<int> WorkingDays(const CommandLine& line) {
  Result<std::string> text = Required(line, "working-days");
  if (!text) return text.status();
  Result<long> n = ParseWholeNumber(*text, "number of working days", 0, 3650);
  if (!n) return n.status();
  return static_cast<int>(*n);
}

Status Add(const CommandLine& line, const BusinessHours& hours, std::ostream& out) {
  Result<std::string> from_text = Required(line, "from");
  if (!from_text) return from_text.status();
  Result<std::chrono::sys_days> from = ParseDay(*from_text);
  if (!from) return from.status();
  Result<int> n = WorkingDays(line);
  if (!n) return n.status();
  out << FormatDay(hours.calendar().AddWorkingDays(*from, *n)) << '\n';
  return Status::Ok();
}

Status Due(const CommandLine& line, const BusinessHours& hours, std::ostream& out) {
  Result<std::string> received_text = Required(line, "received");
  if (!received_text) return received_text.status();
  Result<std::chrono::sys_seconds> received = ParseIsoInstant(*received_text);
  if (!received) return received.status();
  Result<int> n = WorkingDays(line);
  if (!n) return n.status();
  out << FormatLondonIso(hours.DueAt(*received, *n)) << '\n';
  return Status::Ok();
}

}  // namespace

int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kUsageError : 0;
  }
  const std::string& verb = args[0];
  CommandLine::Spec spec{{"config", "region", "bank-holidays"}, {}};
  if (verb == "holidays") {
    spec.value_options.insert("year");
  } else if (verb == "add") {
    spec.value_options.insert({"from", "working-days"});
  } else if (verb == "due") {
    spec.value_options.insert({"received", "working-days", "close"});
  } else {
    err << "complaintsctl calendar: unknown command '" << verb << "'\n" << kUsage;
    return kUsageError;
  }
  Result<CommandLine> line =
      CommandLine::Parse(std::vector<std::string>(args.begin() + 1, args.end()), spec);
  if (line && !line->positional().empty()) {
    line = Result<CommandLine>::Error("unexpected argument '" + line->positional()[0] + "'");
  }
  if (!line) {
    err << "complaintsctl calendar " << verb << ": " << line.error() << '\n';
    return kUsageError;
  }
  Result<CalendarSettings> settings = SettingsFrom(*line);
  Result<BusinessHours> hours =
      settings ? BuildBusinessHours(*settings) : Result<BusinessHours>(settings.status());
  Status done = !hours               ? hours.status()
                : verb == "holidays" ? Holidays(*line, *hours, out)
                : verb == "add"      ? Add(*line, *hours, out)
                                     : Due(*line, *hours, out);
  if (!done) {
    err << "complaintsctl calendar " << verb << ": " << done.error() << '\n';
    return kUsageError;
  }
  return 0;
}

}  // namespace complaints
