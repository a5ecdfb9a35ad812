-- payment-service: one payment per order (WITHOUT ROWID: one B-tree keyed by the order).
CREATE TABLE payments (
  order_id     TEXT PRIMARY KEY,
  payment_id   TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  status       TEXT NOT NULL CHECK (status IN ('CHARGED','DECLINED','REFUNDED','VOIDED')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) WITHOUT ROWID;
