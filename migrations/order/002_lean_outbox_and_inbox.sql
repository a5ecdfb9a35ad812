-- Fewer pages written per transaction (each written page is a WAL frame under the commit's fsync):
-- the inbox is keyed by message id alone (WITHOUT ROWID: one B-tree instead of a table and its key
-- index), and the outbox id is a plain rowid (AUTOINCREMENT also rewrote sqlite_sequence on every
-- append). Ids of pruned outbox rows may be used again; only their order among unpublished rows matters.
CREATE TABLE inbox_lean (
  message_id  TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO inbox_lean(message_id, received_at) SELECT message_id, received_at FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_lean RENAME TO inbox;
CREATE INDEX inbox_received ON inbox(received_at);

CREATE TABLE outbox_lean (
  id           INTEGER PRIMARY KEY,
  topic        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  published_at TEXT
);
INSERT INTO outbox_lean(id, topic, payload, created_at, published_at)
  SELECT id, topic, payload, created_at, published_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_lean RENAME TO outbox;
CREATE INDEX outbox_unpublished ON outbox(id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox(published_at) WHERE published_at IS NOT NULL;
