// ReadModel::ListSagas: keyset paging over sagas, newest first, through listing_query.h's queries, which stop after
// a page. A stuck-only listing reads one state at a time (an IN over states would make SQLite sort) and merges the
// streams, applying the stuck rule to each row.
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "readmodel/database_access.h"
#include "readmodel/listing_query.h"
#include "readmodel/paging.h"
#include "readmodel/read_model.h"
#include "readmodel/saga_rows.h"
#include "readmodel/stuck.h"

namespace sagaflow::readmodel {

namespace {

// The state of each stream to read: the filter's (or any), or for stuck-only each unfinished state it allows.
std::vector<std::optional<std::string>> StreamStates(const SagaFilter& filter) {
  if (!filter.stuck_only) return {filter.state};
  std::vector<std::optional<std::string>> states;
  for (const auto state : kUnfinishedStates) {
    if (!filter.state || *filter.state == state) states.emplace_back(std::string(state));
  }
  return states;
}

// Several streams, each newest first, read as one.
class MergedStreams {
 public:
  void Add(std::unique_ptr<SQLite::Statement> select) {
    streams_.push_back({std::move(select), std::nullopt});
    Advance(streams_.back());
  }

  // The newest row not yet returned; none once every stream is done.
  std::optional<SagaRow> Next() {
    Stream* newest = nullptr;
    for (auto& stream : streams_) {
      if (stream.head && (newest == nullptr || IsNewer(*stream.head, *newest->head))) newest = &stream;
    }
    if (newest == nullptr) return std::nullopt;
    SagaRow row = std::move(*newest->head);
    Advance(*newest);
    return row;
  }

 private:
  struct Stream {
    std::unique_ptr<SQLite::Statement> select;
    std::optional<SagaRow> head;
  };

  static void Advance(Stream& stream) {
    stream.head.reset();
    if (stream.select->executeStep()) stream.head = ReadSagaRow(*stream.select);
  }
  // SQLite's BINARY collation compares text as memcmp does, as std::string does.
  static bool IsNewer(const SagaRow& a, const SagaRow& b) {
    return std::tie(a.created_at, a.saga_id) > std::tie(b.created_at, b.saga_id);
  }

  std::vector<Stream> streams_;
};

Result<std::optional<Position>> ParseSagaCursor(const std::string& cursor) {
  if (cursor.empty()) return std::optional<Position>();
  auto parts = DecodeCursor(cursor, 2);
  if (!parts) return Status::InvalidArgument("malformed cursor");
  return std::optional<Position>(Position{(*parts)[0], (*parts)[1]});
}

// Up to size + 1 rows of the filter after `after`, so that the caller knows whether another page follows.
std::vector<SagaRow> ReadPagePlusOne(SQLite::Database& db, const SagaFilter& filter, size_t size,
                                     const std::optional<Position>& after, TimePoint now) {
  MergedStreams streams;
  for (const auto& state : StreamStates(filter)) streams.Add(OpenListingQuery(db, filter, state, after));
  std::vector<SagaRow> rows;
  while (rows.size() <= size) {
    auto row = streams.Next();
    if (!row) break;
    if (filter.stuck_only && !IsStuck(*row, filter.stuck_after, now)) continue;
    rows.push_back(std::move(*row));
  }
  return rows;
}

}  // namespace

Result<SagaPage> ReadModel::ListSagas(const SagaFilter& filter, const PageRequest& page, TimePoint now) const {
  if (Status size = CheckPageSize(page.size); !size.ok()) return size;
  auto after = ParseSagaCursor(page.cursor);
  if (!after.ok()) return after.status();
  return Guarded([&] {
    auto db = OpenReadOnly(home_, DatabaseOf("orchestrator"));
    const auto size = static_cast<size_t>(page.size);
    SagaPage result;
    result.rows = ReadPagePlusOne(*db, filter, size, *after, now);
    if (result.rows.size() > size) {
      result.rows.resize(size);
      result.next_cursor = EncodeCursor({result.rows.back().created_at, result.rows.back().saga_id});
    }
    return result;
  });
}

}  // namespace sagaflow::readmodel
