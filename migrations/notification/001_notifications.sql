-- notification-service: one row per notification actually sent, keyed <orderId>:<kind> (WITHOUT ROWID).
CREATE TABLE notifications (
  idempotency_key TEXT PRIMARY KEY,
  order_id        TEXT NOT NULL,
  kind            TEXT NOT NULL,
  message         TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  UNIQUE (order_id, kind)
) WITHOUT ROWID;
