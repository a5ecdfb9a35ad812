-- notification-service: one row per notification actually sent, and the messaging tables.
CREATE TABLE notifications (
  idempotency_key TEXT PRIMARY KEY,  -- <orderId>:<kind>
  order_id        TEXT NOT NULL,
  kind            TEXT NOT NULL,
  message         TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  UNIQUE (order_id, kind)
);
CREATE INDEX notifications_order ON notifications(order_id);
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  topic        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  published_at TEXT
);
CREATE INDEX outbox_unpublished ON outbox(id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox(published_at) WHERE published_at IS NOT NULL;

CREATE TABLE inbox (
  message_id  TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
);
CREATE INDEX inbox_received ON inbox(received_at);

CREATE TABLE dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  topic       TEXT NOT NULL,
  payload     TEXT NOT NULL,
  error       TEXT NOT NULL,
  received_at TEXT NOT NULL
);
