-- An order's items and history stored WITHOUT ROWID: one B-tree keyed by (order_id, line) or
-- (order_id, seq) instead of a rowid table plus the index of that key, so every POST and every status
-- change writes one page fewer under the commit's fsync. (orders keeps its rowid: lists order by it.)
CREATE TABLE order_items_keyed (
  order_id    TEXT NOT NULL REFERENCES orders(order_id),
  line        INTEGER NOT NULL,
  product_id  TEXT NOT NULL,
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (order_id, line)
) WITHOUT ROWID;
INSERT INTO order_items_keyed(order_id, line, product_id, quantity, price_cents)
  SELECT order_id, line, product_id, quantity, price_cents FROM order_items;
DROP TABLE order_items;
ALTER TABLE order_items_keyed RENAME TO order_items;

CREATE TABLE order_history_keyed (
  order_id TEXT NOT NULL REFERENCES orders(order_id),
  seq      INTEGER NOT NULL,
  at       TEXT NOT NULL,
  event    TEXT NOT NULL,
  PRIMARY KEY (order_id, seq),
  UNIQUE (order_id, event)
) WITHOUT ROWID;
INSERT INTO order_history_keyed(order_id, seq, at, event) SELECT order_id, seq, at, event FROM order_history;
DROP TABLE order_history;
ALTER TABLE order_history_keyed RENAME TO order_history;
