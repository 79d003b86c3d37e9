#include "daemon/outgoing/pickup_transport.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace complaints {

PickupTransport::PickupTransport(std::string dir) : dir_(std::move(dir)) {}

SendOutcome PickupTransport::Send(const OutboxItem& item) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  const std::string name = std::to_string(item.id) + "-" + item.kind + ".eml";
  const std::string final_path = (fs::path(dir_) / name).string();
  const std::string tmp_path = (fs::path(dir_) / ("." + name + ".tmp")).string();
  const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    return {SendOutcome::Kind::kTemporary, tmp_path + ": " + std::strerror(errno)};
  }
  size_t written = 0;
  while (written < item.raw.size()) {
    const ssize_t n = ::write(fd, item.raw.data() + written, item.raw.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return {SendOutcome::Kind::kTemporary, tmp_path + ": " + why};
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return {SendOutcome::Kind::kTemporary, tmp_path + ": fsync failed"};
  fs::rename(tmp_path, final_path, ec);
  if (ec) return {SendOutcome::Kind::kTemporary, final_path + ": " + ec.message()};
  return {SendOutcome::Kind::kSent, "written to " + final_path};
}

}  // namespace complaints
