#include "bench/stats.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string_view>

namespace sagaflow::bench {

double Samples::Quantile(double q) {
  if (values_.empty()) return 0;
  if (!sorted_) {
    std::sort(values_.begin(), values_.end());
    sorted_ = true;
  }
  const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values_.size())));
  return values_[std::clamp<size_t>(rank, 1, values_.size()) - 1];
}

double Samples::Max() {
  return Quantile(1.0);
}

namespace {

// The sum of the values of the lines of `path` that start with one of `keys` ("key: value" or "key value").
int64_t SumFields(const std::string& path, std::initializer_list<std::string_view> keys) {
  std::ifstream in(path);
  int64_t sum = 0;
  for (std::string line; std::getline(in, line);) {
    for (const std::string_view key : keys) {
      if (line.size() > key.size() && line.compare(0, key.size(), key) == 0) {
        sum += std::strtoll(line.c_str() + key.size(), nullptr, 10);
      }
    }
  }
  return sum;
}

int64_t ContextSwitches(const std::string& proc) {
  int64_t sum = 0;
  std::error_code error;
  for (const auto& task : std::filesystem::directory_iterator(proc + "/task", error)) {
    sum += SumFields(task.path() / "status", {"voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:"});
  }
  return sum;
}

}  // namespace

ProcessStats ReadProcessStats(pid_t pid) {
  ProcessStats stats;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);  // one line
  const size_t end_of_name = text.rfind(')');
  if (end_of_name == std::string::npos) return stats;
  std::istringstream fields(text.substr(end_of_name + 2));
  std::string field;
  // After the name: state(3) ... utime is field 14, stime 15 (1-based in proc(5)).
  double utime = 0, stime = 0;
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stod(field);
    if (index == 15) stime = std::stod(field);
  }
  stats.cpu_seconds = (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) stats.peak_rss_kb = std::stoll(line.substr(6));
    if (line.rfind("VmRSS:", 0) == 0) stats.rss_kb = std::stoll(line.substr(6));
  }
  const std::string proc = "/proc/" + std::to_string(pid);
  stats.io_syscalls = SumFields(proc + "/io", {"syscr:", "syscw:"});
  stats.context_switches = ContextSwitches(proc);
  stats.ok = true;
  return stats;
}

}  // namespace sagaflow::bench
