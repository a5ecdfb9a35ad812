-- inventory-service: stock per product, one reservation per order, and the messaging tables.
CREATE TABLE stock (
  product_id TEXT PRIMARY KEY,
  available  INTEGER NOT NULL CHECK (available >= 0)
);
CREATE TABLE reservations (
  order_id       TEXT PRIMARY KEY,
  reservation_id TEXT NOT NULL UNIQUE,
  status         TEXT NOT NULL CHECK (status IN ('RESERVED','REJECTED','RELEASED','VOIDED')),
  reason         TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE TABLE reservation_items (
  reservation_id TEXT NOT NULL REFERENCES reservations(reservation_id),
  product_id     TEXT NOT NULL,
  quantity       INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, product_id)
);

-- Commands run once per idempotency key: the reply stored for repeats, and commands waiting for
-- their simulated processing time.
CREATE TABLE command_replies (
  idempotency_key TEXT PRIMARY KEY,
  command_topic   TEXT NOT NULL,
  reply_topic     TEXT NOT NULL,
  reply_payload   TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE TABLE pending_commands (
  idempotency_key TEXT PRIMARY KEY,
  topic           TEXT NOT NULL,
  order_id        TEXT NOT NULL,
  payload         TEXT NOT NULL,
  due_at          INTEGER NOT NULL
);
CREATE INDEX pending_commands_due ON pending_commands(due_at);

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
