#include "daemon/intake/imap_source.h"

#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <regex>
#include <sstream>
#include <thread>

namespace complaints {
namespace {

using Steady = std::chrono::steady_clock;

// One logical response line: literals ({n} then n bytes) are cut out into `literals`.
struct Line {
  std::string text;
  std::vector<std::string> literals;
};

struct Response {
  std::vector<Line> untagged;
  std::string status;  // OK, NO, BAD
  std::string text;    // the tagged line
};

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// "INBOX" -> "\"INBOX\"", escaping as IMAP quoted strings require; no CR/LF can get through.
std::string Quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '\r' || c == '\n') continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void GlobalInit() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)done;
}

}  // namespace

namespace {

// "* 12 EXISTS" or "* 1 RECENT".
bool AnnouncesMail(const std::string& untagged) {
  const std::string text = Upper(untagged);
  return text.find(" EXISTS") != std::string::npos || text.find(" RECENT") != std::string::npos;
}

}  // namespace

struct ImapSource::Connection {
  CURL* curl = nullptr;
  curl_socket_t socket = CURL_SOCKET_BAD;
  std::string buffer;
  int tag = 0;
  std::string capabilities;
  std::chrono::seconds timeout{60};
  // libcurl writes here for as long as the handle lives, so it lives with the handle.
  char error[CURL_ERROR_SIZE] = {0};
  std::string token;  // this connection's XOAUTH2 token
  // The server announced new mail (an untagged EXISTS or RECENT) in the answer to some command
  // since the last search: a server says so once, in whatever answer comes next (often the MOVE
  // of the pass), so a later NOOP or IDLE would wait in vain. Cleared by UidsAfter.
  bool news = false;

  ~Connection() {
    if (curl) curl_easy_cleanup(curl);
  }

  bool Has(const std::string& capability) const {
    return (" " + capabilities + " ").find(" " + capability + " ") != std::string::npos;
  }

  Status Wait(short events, Steady::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()).count();
    if (left <= 0) return Status::Error("the IMAP server did not answer in time");
    pollfd p{socket, events, 0};
    const int rc = poll(&p, 1, static_cast<int>(left));
    if (rc < 0) return Status::Error("poll failed");
    return Status::Ok();
  }

  Status Send(const std::string& data) {
    size_t sent = 0;
    const auto deadline = Steady::now() + timeout;
    while (sent < data.size()) {
      size_t n = 0;
      const CURLcode rc = curl_easy_send(curl, data.data() + sent, data.size() - sent, &n);
      if (rc == CURLE_AGAIN) {
        if (Status s = Wait(POLLOUT, deadline); !s) return s;
        continue;
      }
      if (rc != CURLE_OK) return Status::Error(std::string("sending: ") + curl_easy_strerror(rc));
      sent += n;
    }
    return Status::Ok();
  }

  // Reads more bytes into `buffer` (waiting until `deadline`). Ok(false) on time-out.
  Result<bool> Fill(Steady::time_point deadline) {
    while (true) {
      char chunk[65536];
      size_t n = 0;
      const CURLcode rc = curl_easy_recv(curl, chunk, sizeof chunk, &n);
      if (rc == CURLE_OK) {
        if (n == 0) return Result<bool>::Error("the IMAP server closed the connection");
        buffer.append(chunk, n);
        return true;
      }
      if (rc != CURLE_AGAIN) {
        return Result<bool>::Error(std::string("receiving: ") + curl_easy_strerror(rc));
      }
      if (Steady::now() >= deadline) return false;
      if (Status s = Wait(POLLIN, deadline); !s) return false;
    }
  }

  // One logical line, literals included. Ok(nullopt) on time-out.
  Result<std::optional<Line>> ReadLine(Steady::time_point deadline) {
    using R = Result<std::optional<Line>>;
    Line line;
    size_t pos = 0;
    while (true) {
      const size_t eol = buffer.find("\r\n", pos);
      if (eol == std::string::npos) {
        Result<bool> more = Fill(deadline);
        if (!more) return R(more.status());
        if (!*more) return std::optional<Line>();
        continue;
      }
      // A literal announced at the end of the line: "{123}" (or "{123+}").
      const std::string part = buffer.substr(pos, eol - pos);
      size_t length = 0;
      bool literal = false;
      if (!part.empty() && part.back() == '}') {
        const size_t open = part.rfind('{');
        if (open != std::string::npos) {
          std::string digits = part.substr(open + 1, part.size() - open - 2);
          if (!digits.empty() && digits.back() == '+') digits.pop_back();
          if (!digits.empty() && digits.size() < 12 &&
              std::all_of(digits.begin(), digits.end(), ::isdigit)) {
            length = std::stoull(digits);
            literal = true;
          }
        }
      }
      if (!literal) {
        line.text += part;
        buffer.erase(0, eol + 2);
        return std::optional<Line>(std::move(line));
      }
      while (buffer.size() < eol + 2 + length) {
        Result<bool> more = Fill(deadline);
        if (!more) return R(more.status());
        if (!*more) return std::optional<Line>();
      }
      line.text += part;
      line.literals.push_back(buffer.substr(eol + 2, length));
      buffer.erase(0, eol + 2 + length);
      pos = 0;
    }
  }

  Result<Response> Run(const std::string& command) {
    const std::string t = "c" + std::to_string(++tag);
    if (Status s = Send(t + " " + command + "\r\n"); !s) return Result<Response>(s);
    Response response;
    const auto deadline = Steady::now() + timeout;
    while (true) {
      Result<std::optional<Line>> line = ReadLine(deadline);
      if (!line) return Result<Response>(line.status());
      if (!line.value()) return Result<Response>::Error("no answer to " + command.substr(0, 20));
      Line& l = *line.value();
      if (l.text.rfind(t + " ", 0) == 0) {
        const std::string rest = l.text.substr(t.size() + 1);
        response.status = rest.substr(0, rest.find(' '));
        response.text = rest;
        return response;
      }
      if (AnnouncesMail(l.text)) news = true;
      response.untagged.push_back(std::move(l));
    }
  }
};

ImapSource::ImapSource(ImapSettings settings) : settings_(std::move(settings)) {
  GlobalInit();
  const size_t scheme = settings_.url.find("://");
  const size_t slash = scheme == std::string::npos ? scheme : settings_.url.find('/', scheme + 3);
  folder_ = slash == std::string::npos ? "INBOX" : settings_.url.substr(slash + 1);
  if (folder_.empty()) folder_ = "INBOX";
}

ImapSource::~ImapSource() = default;

std::string ImapSource::Name() const {
  const size_t scheme = settings_.url.find("://");
  return settings_.url.substr(0, scheme + 3) + settings_.user + "@" +
         settings_.url.substr(scheme + 3);
}

Result<uint32_t> ImapSource::Open() {
  using R = Result<uint32_t>;
  if (!connection_) {
    auto c = std::make_unique<Connection>();
    c->timeout = settings_.timeout;
    c->curl = curl_easy_init();
    if (!c->curl) return R::Error("libcurl could not start");
    const size_t scheme = settings_.url.find("://");
    const size_t slash = settings_.url.find('/', scheme + 3);
    const std::string server = settings_.url.substr(0, slash) + "/";
    curl_easy_setopt(c->curl, CURLOPT_URL, server.c_str());
    curl_easy_setopt(c->curl, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->error);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c->curl, CURLOPT_USERNAME, settings_.user.c_str());
    if (settings_.bearer_token_source) {
      Result<std::string> token = settings_.bearer_token_source();
      if (!token) return R::Error(Name() + ": XOAUTH2 token: " + token.error());
      c->token = *token;
    } else {
      c->token = settings_.bearer_token;
    }
    if (!c->token.empty()) {
      curl_easy_setopt(c->curl, CURLOPT_XOAUTH2_BEARER, c->token.c_str());
      curl_easy_setopt(c->curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
    } else {
      curl_easy_setopt(c->curl, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYPEER, settings_.verify_tls ? 1L : 0L);
    curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYHOST, settings_.verify_tls ? 2L : 0L);
    if (!settings_.ca_file.empty()) {
      curl_easy_setopt(c->curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
    }
    if (settings_.url.rfind("imap://", 0) == 0 && settings_.require_tls) {
      curl_easy_setopt(c->curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
    const CURLcode rc = curl_easy_perform(c->curl);
    if (rc != CURLE_OK) {
      const bool refused = rc == CURLE_LOGIN_DENIED && !c->token.empty();
      if (refused && settings_.bearer_token_refused) settings_.bearer_token_refused();
      return R::Error(Name() + ": " + (c->error[0] ? c->error : curl_easy_strerror(rc)) +
                      (refused ? " (the server refused the XOAUTH2 token)" : ""));
    }
    curl_easy_getinfo(c->curl, CURLINFO_ACTIVESOCKET, &c->socket);
    Result<Response> caps = c->Run("CAPABILITY");
    if (!caps || caps->status != "OK") return R::Error(Name() + ": CAPABILITY failed");
    for (const Line& l : caps->untagged) {
      if (l.text.rfind("* CAPABILITY ", 0) == 0) c->capabilities = Upper(l.text.substr(13));
    }
    connection_ = std::move(c);
  }
  Result<Response> selected = connection_->Run("SELECT " + Quote(folder_));
  connection_->news = false;  // what SELECT reports, the search that follows will find
  if (!selected || selected->status != "OK") {
    const std::string why = selected ? selected->text : selected.error();
    connection_.reset();
    return R::Error(Name() + ": SELECT failed: " + why);
  }
  static const std::regex validity(R"(\[UIDVALIDITY (\d+)\])", std::regex::icase);
  for (const Line& l : selected->untagged) {
    std::smatch m;
    if (std::regex_search(l.text, m, validity)) return static_cast<uint32_t>(std::stoul(m[1]));
  }
  connection_.reset();
  return R::Error(Name() + ": the server gave no UIDVALIDITY");
}

Result<ImapSource::Survey> ImapSource::Inspect(const std::vector<std::string>& folders) {
  using R = Result<Survey>;
  Result<uint32_t> opened = Open();
  if (!opened) return R(opened.status());
  Survey survey;
  Result<Response> status = connection_->Run("STATUS " + Quote(folder_) + " (MESSAGES)");
  if (!status || status->status != "OK") return R::Error(Name() + ": STATUS failed");
  static const std::regex messages(R"(MESSAGES (\d+))", std::regex::icase);
  for (const Line& l : status->untagged) {
    std::smatch m;
    if (std::regex_search(l.text, m, messages)) survey.messages = std::stol(m[1]);
  }
  for (const std::string& folder : folders) {
    Result<Response> listed = connection_->Run("LIST \"\" " + Quote(folder));
    if (!listed || listed->status != "OK") return R::Error(Name() + ": LIST failed");
    survey.folders.emplace_back(folder, !listed->untagged.empty());
  }
  return survey;
}

Result<std::vector<uint32_t>> ImapSource::UidsAfter(uint32_t uid) {
  using R = Result<std::vector<uint32_t>>;
  if (!connection_) return R::Error(Name() + ": not connected");
  connection_->news = false;  // the search sees all mail announced so far
  Result<Response> found = connection_->Run("UID SEARCH UID " + std::to_string(uid + 1) + ":*");
  if (!found || found->status != "OK") {
    connection_.reset();
    return R::Error(Name() + ": UID SEARCH failed");
  }
  std::vector<uint32_t> uids;
  for (const Line& l : found->untagged) {
    if (l.text.rfind("* SEARCH", 0) != 0) continue;
    std::istringstream in(l.text.substr(8));
    for (uint64_t u; in >> u;) {
      if (u > uid && u <= UINT32_MAX) uids.push_back(static_cast<uint32_t>(u));  // n:* may give n-1
    }
  }
  std::sort(uids.begin(), uids.end());
  return uids;
}

Result<std::vector<FetchedMessage>> ImapSource::Fetch(const std::vector<uint32_t>& uids) {
  using R = Result<std::vector<FetchedMessage>>;
  if (!connection_) return R::Error(Name() + ": not connected");
  if (uids.empty()) return std::vector<FetchedMessage>{};
  Result<Response> fetched =
      connection_->Run("UID FETCH " + UidSet(uids) + " (UID INTERNALDATE BODY.PEEK[])");
  if (!fetched || fetched->status != "OK") {
    connection_.reset();
    return R::Error(Name() + ": UID FETCH failed");
  }
  static const std::regex uid_re(R"(UID (\d+))", std::regex::icase);
  static const std::regex date_re(R"re(INTERNALDATE "([^"]+)")re", std::regex::icase);
  std::vector<FetchedMessage> out;
  for (Line& l : fetched.value().untagged) {
    if (l.literals.empty() || Upper(l.text).find(" FETCH ") == std::string::npos) continue;
    std::smatch m;
    FetchedMessage message;
    if (!std::regex_search(l.text, m, uid_re)) continue;
    message.uid = static_cast<uint32_t>(std::stoul(m[1]));
    if (std::regex_search(l.text, m, date_re)) {
      message.internal_date = ParseInternalDate(m[1].str()).value_or(Instant{});
    }
    message.raw = std::move(l.literals.back());
    out.push_back(std::move(message));
  }
  std::sort(out.begin(), out.end(),
            [](const FetchedMessage& a, const FetchedMessage& b) { return a.uid < b.uid; });
  return out;
}

Status ImapSource::Move(const std::vector<uint32_t>& uids, const std::string& folder) {
  if (!connection_) return Status::Error(Name() + ": not connected");
  if (uids.empty()) return Status::Ok();
  const std::string set = UidSet(uids);
  auto run = [&](const std::string& command) -> Result<Response> {
    Result<Response> r = connection_->Run(command);
    if (r && r->status == "NO" && Upper(r->text).find("TRYCREATE") != std::string::npos) {
      connection_->Run("CREATE " + Quote(folder));
      r = connection_->Run(command);
    }
    return r;
  };
  auto fail = [&](const std::string& what) {
    connection_.reset();
    return Status::Error(Name() + ": " + what + " to " + folder + " failed");
  };
  if (connection_->Has("MOVE")) {
    Result<Response> moved = run("UID MOVE " + set + " " + Quote(folder));
    if (!moved || moved->status != "OK") return fail("UID MOVE");
    return Status::Ok();
  }
  Result<Response> copied = run("UID COPY " + set + " " + Quote(folder));
  if (!copied || copied->status != "OK") return fail("UID COPY");
  Result<Response> flagged = connection_->Run("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
  if (!flagged || flagged->status != "OK") return fail("UID STORE");
  // Without UIDPLUS an EXPUNGE could remove what another client marked deleted: leave it marked.
  if (connection_->Has("UIDPLUS")) {
    Result<Response> expunged = connection_->Run("UID EXPUNGE " + set);
    if (!expunged || expunged->status != "OK") return fail("UID EXPUNGE");
  }
  return Status::Ok();
}

Status ImapSource::WaitForMail(std::chrono::milliseconds timeout) {
  if (!connection_ || !connection_->Has("IDLE")) {
    // No IDLE: poll (the caller's loop runs a pass after each wait).
    std::this_thread::sleep_for(
        std::min<std::chrono::milliseconds>(timeout, settings_.poll_interval));
    return Status::Ok();
  }
  Connection& c = *connection_;
  // Mail delivered during the last pass (after its search, before this IDLE) is not reported by
  // IDLE: it was announced in an answer during the pass, or a NOOP asks the server to look now.
  // Either way, a pass at once.
  if (c.news) return Status::Ok();
  Result<Response> noop = c.Run("NOOP");
  if (!noop || noop->status != "OK") {
    connection_.reset();
    return Status::Error(Name() + ": NOOP failed");
  }
  if (c.news) return Status::Ok();
  const std::string t = "c" + std::to_string(++c.tag);
  if (Status s = c.Send(t + " IDLE\r\n"); !s) {
    connection_.reset();
    return s;
  }
  // IDLE is renewed at most every 25 minutes (RFC 2177 allows 29), so cap the wait.
  const auto deadline =
      Steady::now() + std::min<std::chrono::milliseconds>(timeout, std::chrono::minutes{25});
  bool done_sent = false;
  while (true) {
    Result<std::optional<Line>> line = c.ReadLine(done_sent ? Steady::now() + c.timeout : deadline);
    if (!line) {
      connection_.reset();
      return line.status();
    }
    if (!line.value()) {  // the wait is over: end IDLE
      if (done_sent) {
        connection_.reset();
        return Status::Error(Name() + ": no answer to DONE");
      }
      if (Status s = c.Send("DONE\r\n"); !s) {
        connection_.reset();
        return s;
      }
      done_sent = true;
      continue;
    }
    const std::string text = Upper((*line)->text);
    if (text.rfind(t + " ", 0) == 0 || text.rfind(Upper(t) + " ", 0) == 0) return Status::Ok();
    if (!done_sent &&
        (text.find(" EXISTS") != std::string::npos || text.find(" RECENT") != std::string::npos)) {
      if (Status s = c.Send("DONE\r\n"); !s) {
        connection_.reset();
        return s;
      }
      done_sent = true;
    }
  }
}

std::optional<std::chrono::sys_seconds> ParseInternalDate(std::string_view text) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0, zone = 0;
  char month[4] = {0}, sign = '+';
  const std::string s(text);
  if (std::sscanf(s.c_str(), " %d-%3s-%d %d:%d:%d %c%4d", &day, month, &year, &hh, &mm, &ss, &sign,
                  &zone) != 8) {
    return std::nullopt;
  }
  int m = 0;
  while (m < 12 && std::strcmp(kMonths[m], month) != 0) ++m;
  if (m == 12) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(m + 1)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  const int offset = (sign == '-' ? -1 : 1) * ((zone / 100) * 60 + zone % 100);
  return std::chrono::sys_seconds{std::chrono::sys_days{ymd}.time_since_epoch() +
                                  std::chrono::hours{hh} + std::chrono::minutes{mm} +
                                  std::chrono::seconds{ss} - std::chrono::minutes{offset}};
}

std::string UidSet(std::vector<uint32_t> uids) {
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  std::string out;
  for (size_t i = 0; i < uids.size();) {
    size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(uids[i]);
    if (j > i) out += ":" + std::to_string(uids[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace complaints
