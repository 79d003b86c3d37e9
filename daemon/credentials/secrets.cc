#include "daemon/credentials/secrets.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace complaints {

Result<std::string> ReadSecret(const std::string& name_or_path) {
  std::string path = name_or_path;
  if (path.find('/') == std::string::npos) {
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    if (dir == nullptr) {
      return Result<std::string>::Error(
          "secret '" + name_or_path +
          "' is a credential name but $CREDENTIALS_DIRECTORY is not set: give a path, or use "
          "LoadCredential= in the systemd unit");
    }
    path = std::string(dir) + "/" + name_or_path;
  }
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return Result<std::string>::Error(path + ": the secret file does not exist or cannot be read");
  }
  if (!S_ISREG(st.st_mode)) return Result<std::string>::Error(path + ": not a regular file");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Result<std::string>::Error(path +
                                      ": the secret file may be read by other users; run "
                                      "'chmod 600 " +
                                      path + "'");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<std::string>::Error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return Result<std::string>::Error(path + ": the secret file is empty");
  return secret;
}

}  // namespace complaints
