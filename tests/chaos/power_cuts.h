// PowerCutLedger: what each power cut of a chaos run discarded, by service. A service under the lossy VFS keeps its
// counters in <stats dir>/<pid>.lossy (storage/lossy_vfs/stats_format.h); Record, called right after its SIGKILL,
// reads unsynced_bytes there (the bytes the cut took back) and deletes the file, so a later process that gets the
// same pid cannot be taken for this one. A victim killed before it opened its database has no file: a cut that
// discarded nothing.
//
// Not thread-safe: the fault loop records on one thread, and the test reads once the loop is done.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sagaflow::testing {

struct CutTally {
  int cuts = 0;
  int discarding = 0;   // cuts that took back at least one byte
  int before_open = 0;  // cuts of a process that had not opened its database yet
  int64_t bytes = 0;    // discarded, in all
  int64_t writes = 0;   // xWrite calls discarded, in all
};

class PowerCutLedger {
 public:
  PowerCutLedger() = default;
  explicit PowerCutLedger(std::string stats_dir) : stats_dir_(std::move(stats_dir)) {}

  void Record(const std::string& service, pid_t pid);

  const std::map<std::string, CutTally>& by_service() const { return by_service_; }
  CutTally total() const;
  // Stats files that exist but could not be read: the counts above miss those cuts.
  const std::vector<std::string>& errors() const { return errors_; }
  // One line per service and one for the total.
  std::string Summary() const;

 private:
  std::string stats_dir_;
  std::map<std::string, CutTally> by_service_;
  std::vector<std::string> errors_;
};

}  // namespace sagaflow::testing
