#include "storage/lossy_vfs/lossy_vfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

#include "storage/lossy_vfs/overlay.h"
#include "storage/lossy_vfs/stats_writer.h"

namespace sagaflow::storage::lossy_vfs {

namespace {

// The files whose loss a power cut means; temporary files and sub-journals die with the process anyway.
constexpr int kOverlaid = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL | SQLITE_OPEN_SUPER_JOURNAL;
// A sync writes an extent in pieces: "unix" writes at most 128 KiB - 1 per pwrite and, given a length that is a
// multiple of 128 KiB, writes nothing and reports SQLITE_FULL.
constexpr int64_t kMaxPiece = 64 * 1024;

// What one path holds unsynced, shared by all its handles.
struct FileState {
  std::mutex mu;
  Overlay overlay;     // under mu
  int64_t writes = 0;  // xWrite calls the overlay holds; under mu
};

struct Vfs {
  sqlite3_vfs vfs{};  // what SQLite holds; its pAppData points back here
  sqlite3_vfs* real = nullptr;
  std::unique_ptr<StatsWriter> stats;
  bool is_default = false;  // under InstallMutex()
  std::mutex mu;            // guards files; taken before a FileState's mu, never after
  std::unordered_map<std::string, std::shared_ptr<FileState>> files;
};

// One open file as SQLite sees it; the "unix" file follows it in the same allocation (szOsFile covers both).
struct LossyFile {
  sqlite3_file base;  // first, so SQLite's sqlite3_file* is this
  Vfs* vfs;
  // Null for a file passed through. A pointer, because SQLite hands over raw memory that runs no constructors.
  std::shared_ptr<FileState>* state;
  sqlite3_file* real;
};

std::mutex& InstallMutex() {
  static std::mutex mu;
  return mu;
}

Vfs*& Installed() {
  // Set once, under InstallMutex(), before the atexit handler that reads it exists. Never freed: SQLite may use the
  // VFS until the process ends.
  static Vfs* vfs = nullptr;
  return vfs;
}

Vfs& VfsOf(sqlite3_vfs* vfs) {
  return *static_cast<Vfs*>(vfs->pAppData);
}
LossyFile& FileOf(sqlite3_file* file) {
  return *reinterpret_cast<LossyFile*>(file);
}
sqlite3_file* RealOf(sqlite3_file* file) {
  return FileOf(file).real;
}
FileState* StateOf(sqlite3_file* file) {
  auto* state = FileOf(file).state;
  return state == nullptr ? nullptr : state->get();
}

// Drops what `state` holds from the counters and from memory; under state.mu.
void Forget(Vfs& vfs, FileState& state) {
  vfs.stats->Add(&Stats::unsynced_bytes, -state.overlay.bytes());
  vfs.stats->Add(&Stats::unsynced_writes, -state.writes);
  state.overlay.Clear();
  state.writes = 0;
}

// --- sqlite3_io_methods ---

int Close(sqlite3_file* file) {
  LossyFile& f = FileOf(file);
  const int rc = f.real->pMethods->xClose(f.real);
  delete f.state;  // the path's overlay stays: closing a file does not make its writes durable
  f.state = nullptr;
  return rc;
}

int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  sqlite3_file* real = RealOf(file);
  FileState* state = StateOf(file);
  if (state == nullptr) return real->pMethods->xRead(real, buffer, amount, offset);
  std::lock_guard lock(state->mu);
  // "unix" zero-fills what lies past the real end and says SHORT_READ; the overlay may cover some of it.
  const int rc = real->pMethods->xRead(real, buffer, amount, offset);
  if ((rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) || state->overlay.empty()) return rc;
  state->overlay.ReadOver(offset, buffer, amount);
  if (rc == SQLITE_OK) return rc;
  sqlite3_int64 real_size = 0;
  if (const int size_rc = real->pMethods->xFileSize(real, &real_size); size_rc != SQLITE_OK) return size_rc;
  return offset + amount <= std::max<int64_t>(real_size, state->overlay.End()) ? SQLITE_OK : SQLITE_IOERR_SHORT_READ;
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  FileState* state = StateOf(file);
  if (state == nullptr) return RealOf(file)->pMethods->xWrite(RealOf(file), data, amount, offset);
  Vfs& vfs = *FileOf(file).vfs;
  std::lock_guard lock(state->mu);
  const int64_t before = state->overlay.bytes();
  state->overlay.Write(offset, data, amount);
  ++state->writes;
  vfs.stats->Add(&Stats::unsynced_bytes, state->overlay.bytes() - before);
  vfs.stats->Add(&Stats::unsynced_writes, 1);
  return SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  sqlite3_file* real = RealOf(file);
  FileState* state = StateOf(file);
  if (state == nullptr) return real->pMethods->xTruncate(real, size);
  Vfs& vfs = *FileOf(file).vfs;
  std::lock_guard lock(state->mu);
  // Simplification: the real file is cut at once, as if the truncation were durable when made. In WAL mode SQLite
  // truncates the WAL only once checkpointed, and the database only in a checkpoint whose frames the WAL, synced
  // first, still holds, so an early cut takes nothing that recovery needs.
  if (const int rc = real->pMethods->xTruncate(real, size); rc != SQLITE_OK) return rc;
  const int64_t before = state->overlay.bytes();
  state->overlay.Truncate(size);
  vfs.stats->Add(&Stats::unsynced_bytes, state->overlay.bytes() - before);
  if (state->overlay.empty()) Forget(vfs, *state);
  return SQLITE_OK;
}

int Sync(sqlite3_file* file, int flags) {
  sqlite3_file* real = RealOf(file);
  FileState* state = StateOf(file);
  if (state == nullptr) return real->pMethods->xSync(real, flags);
  Vfs& vfs = *FileOf(file).vfs;
  std::lock_guard lock(state->mu);
  for (const auto& [offset, bytes] : state->overlay.extents()) {
    const auto size = static_cast<int64_t>(bytes.size());
    for (int64_t done = 0; done < size; done += kMaxPiece) {
      const int piece = static_cast<int>(std::min(kMaxPiece, size - done));
      // On failure the overlay stays whole, so a later sync writes it all again.
      if (const int rc = real->pMethods->xWrite(real, bytes.data() + done, piece, offset + done); rc != SQLITE_OK) {
        return rc;
      }
    }
  }
  if (const int rc = real->pMethods->xSync(real, flags); rc != SQLITE_OK) return rc;
  vfs.stats->Add(&Stats::synced_bytes, state->overlay.bytes());
  vfs.stats->Add(&Stats::syncs, 1);
  Forget(vfs, *state);
  return SQLITE_OK;
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  sqlite3_file* real = RealOf(file);
  FileState* state = StateOf(file);
  if (state == nullptr) return real->pMethods->xFileSize(real, size);
  std::lock_guard lock(state->mu);
  if (const int rc = real->pMethods->xFileSize(real, size); rc != SQLITE_OK) return rc;
  *size = std::max<int64_t>(*size, state->overlay.End());
  return SQLITE_OK;
}

int Lock(sqlite3_file* file, int level) {
  return RealOf(file)->pMethods->xLock(RealOf(file), level);
}
int Unlock(sqlite3_file* file, int level) {
  return RealOf(file)->pMethods->xUnlock(RealOf(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* result) {
  return RealOf(file)->pMethods->xCheckReservedLock(RealOf(file), result);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  return RealOf(file)->pMethods->xFileControl(RealOf(file), op, arg);
}
int SectorSize(sqlite3_file* file) {
  return RealOf(file)->pMethods->xSectorSize(RealOf(file));
}
int DeviceCharacteristics(sqlite3_file* file) {
  return RealOf(file)->pMethods->xDeviceCharacteristics(RealOf(file));
}

// The wal-index is shared memory between connections, not data a cut could lose: straight to "unix".
int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** memory) {
  return RealOf(file)->pMethods->xShmMap(RealOf(file), region, size, extend, memory);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return RealOf(file)->pMethods->xShmLock(RealOf(file), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) {
  RealOf(file)->pMethods->xShmBarrier(RealOf(file));
}
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return RealOf(file)->pMethods->xShmUnmap(RealOf(file), delete_flag);
}

// A mapped page would show the real file without the overlay; a null page makes SQLite use xRead instead.
int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** page) {
  if (StateOf(file) != nullptr) {
    *page = nullptr;
    return SQLITE_OK;
  }
  return RealOf(file)->pMethods->xFetch(RealOf(file), offset, amount, page);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  if (StateOf(file) != nullptr) return SQLITE_OK;
  return RealOf(file)->pMethods->xUnfetch(RealOf(file), offset, page);
}

const sqlite3_io_methods kIoMethods = {.iVersion = 3,
                                       .xClose = Close,
                                       .xRead = Read,
                                       .xWrite = Write,
                                       .xTruncate = Truncate,
                                       .xSync = Sync,
                                       .xFileSize = FileSize,
                                       .xLock = Lock,
                                       .xUnlock = Unlock,
                                       .xCheckReservedLock = CheckReservedLock,
                                       .xFileControl = FileControl,
                                       .xSectorSize = SectorSize,
                                       .xDeviceCharacteristics = DeviceCharacteristics,
                                       .xShmMap = ShmMap,
                                       .xShmLock = ShmLock,
                                       .xShmBarrier = ShmBarrier,
                                       .xShmUnmap = ShmUnmap,
                                       .xFetch = Fetch,
                                       .xUnfetch = Unfetch};

// --- sqlite3_vfs ---

std::shared_ptr<FileState> StateFor(Vfs& vfs, const std::string& path) {
  std::lock_guard lock(vfs.mu);
  auto& state = vfs.files[path];
  if (state == nullptr) state = std::make_shared<FileState>();
  return state;
}

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  Vfs& self = VfsOf(vfs);
  LossyFile& f = FileOf(file);
  f.vfs = &self;
  f.state = nullptr;
  f.real = reinterpret_cast<sqlite3_file*>(&f + 1);
  const int rc = self.real->xOpen(self.real, name, f.real, flags, out_flags);
  if (f.real->pMethods == nullptr) {  // nothing to close
    file->pMethods = nullptr;
    return rc;
  }
  if (rc == SQLITE_OK && name != nullptr && (flags & kOverlaid) != 0) {
    f.state = new std::shared_ptr<FileState>(StateFor(self, name));
  }
  file->pMethods = &kIoMethods;
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  Vfs& self = VfsOf(vfs);
  const int rc = self.real->xDelete(self.real, name, sync_dir);
  if (rc != SQLITE_OK && rc != SQLITE_IOERR_DELETE_NOENT) return rc;
  // Handles still open on the deleted file keep its old state; the path starts afresh.
  std::lock_guard lock(self.mu);
  if (auto it = self.files.find(name); it != self.files.end()) {
    std::lock_guard file_lock(it->second->mu);
    Forget(self, *it->second);
    self.files.erase(it);
  }
  return rc;
}

int Access(sqlite3_vfs* vfs, const char* name, int flags, int* result) {
  Vfs& self = VfsOf(vfs);
  const int rc = self.real->xAccess(self.real, name, flags, result);
  if (rc != SQLITE_OK || flags != SQLITE_ACCESS_EXISTS || *result != 0) return rc;
  // "unix" calls an empty file absent; one whose bytes are all still unsynced exists for this process.
  std::lock_guard lock(self.mu);
  if (auto it = self.files.find(name); it != self.files.end()) {
    std::lock_guard file_lock(it->second->mu);
    *result = it->second->overlay.empty() ? 0 : 1;
  }
  return rc;
}

sqlite3_vfs* Real(sqlite3_vfs* vfs) {
  return VfsOf(vfs).real;
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return Real(vfs)->xFullPathname(Real(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return Real(vfs)->xDlOpen(Real(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int size, char* out) {
  Real(vfs)->xDlError(Real(vfs), size, out);
}
using Symbol = void (*)();
Symbol DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol) {
  return Real(vfs)->xDlSym(Real(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) {
  Real(vfs)->xDlClose(Real(vfs), handle);
}
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return Real(vfs)->xRandomness(Real(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) {
  return Real(vfs)->xSleep(Real(vfs), micros);
}
int CurrentTime(sqlite3_vfs* vfs, double* now) {
  return Real(vfs)->xCurrentTime(Real(vfs), now);
}
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return Real(vfs)->xGetLastError(Real(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* now) {
  return Real(vfs)->xCurrentTimeInt64(Real(vfs), now);
}
int SetSystemCall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return Real(vfs)->xSetSystemCall(Real(vfs), name, call);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Real(vfs)->xGetSystemCall(Real(vfs), name);
}
const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Real(vfs)->xNextSystemCall(Real(vfs), name);
}

// A clean exit is not a power cut: the OS would still write the page cache out, so this does (without fsync).
void WriteOutAtExit() {
  Vfs* vfs = Installed();
  if (vfs == nullptr) return;
  std::lock_guard lock(vfs->mu);
  for (auto& [path, state] : vfs->files) {
    std::lock_guard file_lock(state->mu);
    if (state->overlay.empty()) continue;
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) continue;  // removed behind SQLite's back: nowhere to write
    for (const auto& [offset, bytes] : state->overlay.extents()) {
      for (size_t done = 0; done < bytes.size();) {
        const ssize_t wrote = pwrite(fd, bytes.data() + done, bytes.size() - done, offset + static_cast<off_t>(done));
        if (wrote <= 0) break;
        done += static_cast<size_t>(wrote);
      }
    }
    close(fd);
    vfs->stats->Add(&Stats::exit_flushed_bytes, state->overlay.bytes());
    Forget(*vfs, *state);
  }
}

}  // namespace

Status Install(const Options& options) {
  std::lock_guard lock(InstallMutex());
  Vfs*& installed = Installed();
  if (installed != nullptr) {
    if (options.make_default && !installed->is_default) {
      if (sqlite3_vfs_register(&installed->vfs, 1) != SQLITE_OK) {
        return Status::IoError("cannot make the lossy VFS default");
      }
      installed->is_default = true;
    }
    return Status::Ok();
  }
  sqlite3_vfs* real = sqlite3_vfs_find("unix");
  if (real == nullptr || real->iVersion < 3) {
    return Status::FailedPrecondition("no SQLite \"unix\" VFS (version 3) to wrap");
  }
  auto stats = StatsWriter::Open(options.stats_path);
  if (!stats.ok()) return stats.status();

  auto self = std::make_unique<Vfs>();
  self->real = real;
  self->stats = std::move(stats).value();
  sqlite3_vfs& vfs = self->vfs;
  vfs.iVersion = 3;
  vfs.szOsFile = static_cast<int>(sizeof(LossyFile)) + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = kVfsName;
  vfs.pAppData = self.get();
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  vfs.xSetSystemCall = SetSystemCall;
  vfs.xGetSystemCall = GetSystemCall;
  vfs.xNextSystemCall = NextSystemCall;
  if (sqlite3_vfs_register(&vfs, options.make_default ? 1 : 0) != SQLITE_OK) {
    return Status::IoError("SQLite refused to register the lossy VFS");
  }
  self->is_default = options.make_default;
  installed = self.release();  // lives as long as the process: SQLite may use the VFS until exit
  std::atexit(WriteOutAtExit);
  return Status::Ok();
}

Status InstallFromEnvironment() {
  const char* enable = std::getenv(kEnableVariable);
  if (enable == nullptr || std::string_view(enable).empty() || std::string_view(enable) == "0") return Status::Ok();
  if (std::string_view(enable) != "1") {
    return Status::InvalidArgument(std::string(kEnableVariable) + " must be 1 or 0, got '" + enable + "'");
  }
  const char* dir = std::getenv(kStatsDirVariable);
  return Install(
      {.make_default = true, .stats_path = dir == nullptr || *dir == '\0' ? std::string() : StatsPath(dir, getpid())});
}

}  // namespace sagaflow::storage::lossy_vfs
