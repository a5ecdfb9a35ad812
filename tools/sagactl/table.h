// Table: plain-text tables for sagactl, with columns sized to their widest cell. Every cell is printed
// through Printable: ids, reasons and payloads come from clients and other processes, and must not
// write escape sequences or fake lines onto the operator's terminal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sagaflow::sagactl {

// Untrusted text as one line of printable characters (control characters as \xHH).
std::string Printable(std::string_view text);

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
