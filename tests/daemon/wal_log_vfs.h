// A VFS over SQLite's default one, for tests: it records, in order, every write to and every
// flush of a database's write-ahead log, and can make flushes of the log fail.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace complaints::testing::wal_log {

struct Event {
  bool sync;
  int64_t seq;
};
inline std::mutex mutex;
inline std::vector<Event> events;
inline sqlite3_vfs* real = nullptr;
inline sqlite3_vfs shim;
inline sqlite3_io_methods methods;

struct File {
  sqlite3_file base;
  sqlite3_file* real;
  bool wal;
};

inline int64_t seq = 0;
inline std::atomic<bool> fail_syncs{false};  // the disk refuses to flush the log
inline void Note(File* f, bool sync) {
  if (!f->wal) return;
  std::lock_guard<std::mutex> lock(mutex);
  events.push_back({sync, ++seq});
}

inline sqlite3_file* R(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }
inline int Close(sqlite3_file* f) { return R(f)->pMethods->xClose(R(f)); }
inline int Read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
  return R(f)->pMethods->xRead(R(f), b, n, o);
}
inline int Write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  Note(reinterpret_cast<File*>(f), false);
  return R(f)->pMethods->xWrite(R(f), b, n, o);
}
inline int Truncate(sqlite3_file* f, sqlite3_int64 n) { return R(f)->pMethods->xTruncate(R(f), n); }
inline int Sync(sqlite3_file* f, int flags) {
  if (fail_syncs && reinterpret_cast<File*>(f)->wal) return SQLITE_IOERR_FSYNC;
  Note(reinterpret_cast<File*>(f), true);
  return R(f)->pMethods->xSync(R(f), flags);
}
inline int Size(sqlite3_file* f, sqlite3_int64* n) { return R(f)->pMethods->xFileSize(R(f), n); }
inline int Lock(sqlite3_file* f, int l) { return R(f)->pMethods->xLock(R(f), l); }
inline int Unlock(sqlite3_file* f, int l) { return R(f)->pMethods->xUnlock(R(f), l); }
inline int Check(sqlite3_file* f, int* out) {
  return R(f)->pMethods->xCheckReservedLock(R(f), out);
}
inline int Control(sqlite3_file* f, int op, void* arg) {
  return R(f)->pMethods->xFileControl(R(f), op, arg);
}
inline int SectorSize(sqlite3_file* f) { return R(f)->pMethods->xSectorSize(R(f)); }
inline int Characteristics(sqlite3_file* f) { return R(f)->pMethods->xDeviceCharacteristics(R(f)); }
inline int ShmMap(sqlite3_file* f, int i, int n, int e, void volatile** p) {
  return R(f)->pMethods->xShmMap(R(f), i, n, e, p);
}
inline int ShmLock(sqlite3_file* f, int o, int n, int flags) {
  return R(f)->pMethods->xShmLock(R(f), o, n, flags);
}
inline void ShmBarrier(sqlite3_file* f) { R(f)->pMethods->xShmBarrier(R(f)); }
inline int ShmUnmap(sqlite3_file* f, int del) { return R(f)->pMethods->xShmUnmap(R(f), del); }

inline int Open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out) {
  File* f = reinterpret_cast<File*>(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->wal = (flags & SQLITE_OPEN_WAL) != 0;
  const int rc = real->xOpen(real, name, f->real, flags, out);
  f->base.pMethods = f->real->pMethods ? &methods : nullptr;
  return rc;
}

// Installs the recording VFS as the default for as long as it lives.
struct Installed {
  Installed() {
    real = sqlite3_vfs_find(nullptr);
    shim = *real;
    shim.zName = "wal-log";
    shim.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
    shim.xOpen = Open;
    methods = {2,        Close,   Read,    Write,      Truncate,        Sync,   Size,    Lock,
               Unlock,   Check,   Control, SectorSize, Characteristics, ShmMap, ShmLock, ShmBarrier,
               ShmUnmap, nullptr, nullptr};
    sqlite3_vfs_register(&shim, 1);
    events.clear();
    fail_syncs = false;
  }
  ~Installed() {
    fail_syncs = false;
    sqlite3_vfs_unregister(&shim);
    sqlite3_vfs_register(real, 1);
  }
  static int Syncs() {
    std::lock_guard<std::mutex> lock(mutex);
    return static_cast<int>(
        std::count_if(events.begin(), events.end(), [](const Event& e) { return e.sync; }));
  }
  // Whether the log has been flushed since it was last written.
  static bool Flushed() {
    std::lock_guard<std::mutex> lock(mutex);
    return !events.empty() && events.back().sync;
  }
};

}  // namespace complaints::testing::wal_log
