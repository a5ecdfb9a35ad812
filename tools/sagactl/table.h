// Table: plain-text tables for sagactl, with columns sized to their widest cell.
#pragma once

#include <string>
#include <vector>

namespace sagaflow::sagactl {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace sagaflow::sagactl
