// The store holds residents' personal data: its file, the write-ahead log and shared-memory file
// beside it, and the folder they are in must be readable by the service alone. SQLite gives the
// -wal and -shm files the database file's mode, so a 0600 database keeps them 0600 too.
// (Under systemd the unit's UMask=0077 and StateDirectoryMode=0700 do the same from the start.)
#pragma once

#include <string>
#include <vector>

#include "parsers/result.h"

namespace complaints {

// Sets the database file and any -wal, -shm and -journal beside it to 0600 (owner only).
// Call after the store is opened (it exists then).
Status KeepStoreFilesPrivate(const std::string& store_path);

// What others could read: each file, or the folder, open to the group or to everyone, one line
// each ("" when all is well). The folder is reported, not changed: it may be shared on purpose.
std::vector<std::string> StoreFileProblems(const std::string& store_path);

}  // namespace complaints
