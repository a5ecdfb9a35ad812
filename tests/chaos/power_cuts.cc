#include "tests/chaos/power_cuts.h"

#include <filesystem>

#include "storage/lossy_vfs/stats_reader.h"

namespace sagaflow::testing {

void PowerCutLedger::Record(const std::string& service, pid_t pid) {
  namespace lossy = storage::lossy_vfs;
  CutTally& tally = by_service_[service];
  ++tally.cuts;
  const std::string path = lossy::StatsPath(stats_dir_, pid);
  auto stats = lossy::ReadStats(path);
  if (!stats.ok()) {
    if (stats.status().IsNotFound()) {
      ++tally.before_open;
    } else {
      errors_.push_back(service + " (pid " + std::to_string(pid) + "): " + stats.status().ToString());
    }
    return;
  }
  tally.bytes += stats->unsynced_bytes;
  tally.writes += stats->unsynced_writes;
  if (stats->unsynced_bytes > 0) ++tally.discarding;
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

CutTally PowerCutLedger::total() const {
  CutTally sum;
  for (const auto& [service, tally] : by_service_) {
    sum.cuts += tally.cuts;
    sum.discarding += tally.discarding;
    sum.before_open += tally.before_open;
    sum.bytes += tally.bytes;
    sum.writes += tally.writes;
  }
  return sum;
}

std::string PowerCutLedger::Summary() const {
  const auto line = [](const std::string& name, const CutTally& tally) {
    return "  " + name + ": " + std::to_string(tally.cuts) + " cuts, " + std::to_string(tally.discarding) +
           " discarded something (" + std::to_string(tally.bytes) + " bytes in " + std::to_string(tally.writes) +
           " writes), " + std::to_string(tally.before_open) + " before the database was open\n";
  };
  std::string out;
  for (const auto& [service, tally] : by_service_) out += line(service, tally);
  out += line("all services", total());
  return out;
}

}  // namespace sagaflow::testing
