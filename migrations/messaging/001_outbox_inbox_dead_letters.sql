-- The messaging tables every service has (storage/outbox, storage/inbox, storage/dead_letters).

-- What the service publishes, appended in the transaction that caused it; the relay publishes unpublished rows in
-- id order. A plain rowid id: ids of pruned rows may be used again, only their order among unpublished rows matters.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  topic        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  published_at TEXT
);
CREATE INDEX outbox_unpublished ON outbox(id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox(published_at) WHERE published_at IS NOT NULL;

-- Message ids already handled, so a redelivery does nothing (epoch ms). WITHOUT ROWID: one B-tree, one page fewer
-- per insert.
CREATE TABLE inbox (
  message_id  TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX inbox_received ON inbox(received_at);

-- Messages that could not be used, with why.
CREATE TABLE dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  topic       TEXT NOT NULL,
  payload     TEXT NOT NULL,
  error       TEXT NOT NULL,
  received_at TEXT NOT NULL
);
