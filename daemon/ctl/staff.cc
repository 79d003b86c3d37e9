#include <iostream>
#include <map>
#include <ostream>

#include "daemon/base/command_line.h"
#include "daemon/calendar/clock.h"
#include "daemon/ctl/commands.h"
#include "daemon/ctl/session.h"
#include "daemon/staff/staff_accounts.h"

namespace complaints {
namespace {

constexpr const char* kUsage =
    "usage: complaintsctl [--config FILE | --db PATH] staff COMMAND ...\n"
    "  add USERNAME --name \"FULL NAME\" --role officer|manager|admin\n"
    "                       the password is read from standard input (one line, 12+ characters)\n"
    "  password USERNAME    sets a new password, read from standard input; unlocks the account\n"
    "  disable USERNAME     no more logins; ends the account's sessions and API tokens\n"
    "  enable USERNAME\n"
    "  token USERNAME       prints a new API token for integrations (kept only as a hash)\n"
    "  list\n";

int Fail(std::ostream& err, const std::string& verb, const std::string& message, int code) {
  err << "complaintsctl staff " << verb << ": " << message << '\n';
  return code;
}

Result<std::string> ReadPassword() {
  std::string password;
  if (!std::getline(std::cin, password)) {
    return Result<std::string>::Error(
        "give the password on standard input, e.g. `read -rs P && printf '%s\\n' \"$P\" | "
        "complaintsctl staff ...`");
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

}  // namespace

int RunStaffCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string verb = args[0];
  static const std::map<std::string, CommandLine::Spec> specs = {
      {"add", {{"db", "config", "name", "role"}, {}}},
      {"password", {{"db", "config"}, {}}},
      {"disable", {{"db", "config"}, {}}},
      {"enable", {{"db", "config"}, {}}},
      {"token", {{"db", "config"}, {}}},
      {"list", {{"db", "config"}, {"json"}}},
  };
  const auto spec = specs.find(verb);
  if (spec == specs.end()) return Fail(err, verb, std::string("unknown command\n") + kUsage, 2);
  Result<CommandLine> line = CommandLine::Parse({args.begin() + 1, args.end()}, spec->second);
  if (!line) return Fail(err, verb, line.error(), 2);
  const size_t wanted = verb == "list" ? 0 : 1;
  if (line->positional().size() != wanted) {
    return Fail(err, verb, wanted ? "expected USERNAME" : "expected no other words", 2);
  }
  Result<std::string> path = CtlStorePath(*line);
  if (!path) return Fail(err, verb, path.error(), 2);
  Result<std::unique_ptr<StaffAccounts>> accounts = StaffAccounts::Open(*path, LoginPolicy{});
  if (!accounts) return Fail(err, verb, accounts.error(), 2);
  StaffAccounts& staff = **accounts;
  const std::string user = wanted ? line->positional()[0] : "";
  if (verb == "add") {
    Result<StaffRole> role = ParseStaffRole(line->Get("role").value_or(""));
    if (!line->Get("role")) return Fail(err, verb, "missing --role officer|manager|admin", 2);
    if (!role) return Fail(err, verb, role.error(), 2);
    Result<std::string> password = ReadPassword();
    if (!password) return Fail(err, verb, password.error(), 2);
    if (Status s = staff.Add(user, line->Get("name").value_or(""), *role, *password); !s) {
      return Fail(err, verb, s.error(), 1);
    }
    out << user << ": added as " << StaffRoleName(*role) << '\n';
    return 0;
  }
  if (verb == "password") {
    Result<std::string> password = ReadPassword();
    if (!password) return Fail(err, verb, password.error(), 2);
    if (Status s = staff.SetPassword(user, *password); !s) return Fail(err, verb, s.error(), 1);
    out << user << ": password changed\n";
    return 0;
  }
  if (verb == "disable" || verb == "enable") {
    Status s = verb == "disable" ? staff.Disable(user) : staff.Enable(user);
    if (!s) return Fail(err, verb, s.error(), 1);
    out << user << ": " << verb << "d\n";
    return 0;
  }
  if (verb == "token") {
    SystemClock clock;
    Result<std::string> token = staff.IssueToken(user, clock.Now());
    if (!token) return Fail(err, verb, token.error(), 1);
    out << *token << '\n';
    err << "complaintsctl staff token: keep it secret; it acts as " << user
        << " on /api/v1 until the account is disabled\n";
    return 0;
  }
  Result<std::vector<StaffAccount>> all = staff.List();
  if (!all) return Fail(err, verb, all.error(), 2);
  for (const StaffAccount& a : *all) {
    out << a.username << "  " << StaffRoleName(a.role) << "  " << a.name
        << (a.disabled ? "  (disabled)" : "") << (a.locked_until ? "  (locked)" : "") << '\n';
  }
  return 0;
}

}  // namespace complaints
