-- inventory-service: stock per product, one reservation per order and its items (keyed tables WITHOUT ROWID).
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
) WITHOUT ROWID;
CREATE TABLE reservation_items (
  reservation_id TEXT NOT NULL REFERENCES reservations(reservation_id),
  product_id     TEXT NOT NULL,
  quantity       INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, product_id)
) WITHOUT ROWID;
