// Problems: what is wrong with a saga definition file, one entry per error, each naming where (a JSON path such as
// $.stages[0].steps[1].reply.topic) and what. Loading goes on after an error, so one run reports them all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sagaflow::definitions {

// The JSON path of `key` inside the object at `path`: ChildPath("$.start", "input") is "$.start.input".
inline std::string ChildPath(const std::string& path, std::string_view key) {
  std::string child;
  child.reserve(path.size() + 1 + key.size());
  child.append(path).append(".").append(key);
  return child;
}

struct Problem {
  std::string path;
  std::string message;
};

class Problems {
 public:
  void Add(std::string path, std::string message) { list_.push_back({std::move(path), std::move(message)}); }
  bool empty() const { return list_.empty(); }
  size_t size() const { return list_.size(); }
  const std::vector<Problem>& list() const { return list_; }
  // One line per problem: "<file>: <path>: <message>".
  std::string Describe(const std::string& file) const {
    std::string text;
    for (const auto& problem : list_) {
      if (!text.empty()) text += '\n';
      text += file + ": " + problem.path + ": " + problem.message;
    }
    return text;
  }

 private:
  std::vector<Problem> list_;
};

}  // namespace sagaflow::definitions
