// Child processes for the integration tests: the real SMTP server (aiosmtpd) and complaintsd
// itself, started on 127.0.0.1 and always stopped (SIGTERM, then SIGKILL) by their destructors.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace complaints::integration {

class Child {
 public:
  // Starts `argv`; stdout is captured through a pipe (ReadLine), stderr goes to `log_path`.
  Child(const std::vector<std::string>& argv, const std::string& log_path);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // A line from the child's stdout, or "" after `timeout`.
  std::string ReadLine(std::chrono::milliseconds timeout);
  // Sends `signal`; returns the exit status (as waitpid) or -1 when it did not exit in time.
  int Stop(int signal, std::chrono::milliseconds timeout);
  bool Running();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

// aiosmtpd writing each message to `dir`; `extra` are smtp_sink.py options.
class SmtpSink {
 public:
  explicit SmtpSink(const std::string& dir, int port = 0, std::vector<std::string> extra = {});
  int port() const { return port_; }
  std::vector<std::string> Messages() const;  // raw messages received, in order
  std::vector<std::string> Envelopes() const;
  void Stop();

 private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<Child> child_;
};

std::string ReadFile(const std::string& path);
// Messages in a Maildir folder (new/ and cur/).
size_t MaildirFiles(const std::string& dir);
std::string TempDir(const std::string& name);
// The HTTP status of GET /healthz on 127.0.0.1:port, or 0 when nothing answers.
int HealthStatus(int port);
// Waits until `done` is true or `timeout` passes; returns done's last value.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace complaints::integration
