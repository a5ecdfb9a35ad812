#include "storage/retention.h"

namespace sagaflow::storage {

void Retention::Add(RetentionRule rule) {
  std::lock_guard lock(mu_);
  rules_.push_back(std::move(rule));
}

Result<NextPass> Retention::RunOnce() {
  std::lock_guard lock(mu_);
  bool more = false;
  Status first_failure = Status::Ok();
  for (const auto& rule : rules_) {
    auto pruned = rule.prune(clock_.Now() - rule.keep_for, batch_);
    if (!pruned.ok()) {
      if (first_failure.ok()) first_failure = Status::IoError(rule.table + ": " + pruned.status().message());
      continue;
    }
    more = more || *pruned >= batch_;
  }
  if (!first_failure.ok()) return first_failure;
  return more ? NextPass::Now() : NextPass::AtInterval();
}

}  // namespace sagaflow::storage
