-- order-service: orders, their items and history, and the keys of idempotent POSTs.
-- Tables keyed by an id and a number are WITHOUT ROWID (one B-tree instead of a rowid table plus the index of
-- its key: one page fewer per insert); orders keeps its rowid, which listings order by.
CREATE TABLE orders (
  order_id     TEXT PRIMARY KEY,
  customer_id  TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('PENDING','PROCESSING','COMPENSATING','COMPLETED','CANCELLED','FAILED')),
  reason       TEXT,
  total_cents  INTEGER NOT NULL CHECK (total_cents >= 0),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  -- epoch ms at which the nudge publishes orders/created again; NULL once the order is terminal
  nudge_at     INTEGER,
  nudge_count  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX orders_nudge ON orders(nudge_at) WHERE nudge_at IS NOT NULL;
CREATE INDEX orders_status_created ON orders(status, created_at);
CREATE INDEX orders_created ON orders(created_at);

CREATE TABLE order_items (
  order_id    TEXT NOT NULL REFERENCES orders(order_id),
  line        INTEGER NOT NULL,
  product_id  TEXT NOT NULL,
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (order_id, line)
) WITHOUT ROWID;

CREATE TABLE order_history (
  order_id TEXT NOT NULL REFERENCES orders(order_id),
  seq      INTEGER NOT NULL,
  at       TEXT NOT NULL,
  event    TEXT NOT NULL,
  PRIMARY KEY (order_id, seq),
  UNIQUE (order_id, event)
) WITHOUT ROWID;

-- POST /api/orders with an Idempotency-Key: the canonical request it stood for and the order it made.
CREATE TABLE idempotency_keys (
  idempotency_key TEXT PRIMARY KEY,
  request         TEXT NOT NULL,
  order_id        TEXT NOT NULL REFERENCES orders(order_id),
  created_at      TEXT NOT NULL
);
