"""One booking per trip, undone by a cancel that may come first: the business rule hotel.py, flight.py and car.py
share, as the two actions (book, cancel) a participant runs for its step.

The bookings table holds one row per trip, whatever happens, so that no repeat or late message acts twice:
BOOKED, DECLINED (the participant said no, and why), CANCELLED (booked, then undone) or VOIDED (the cancel came
before any booking: a tombstone, so that a late booking is refused with reason "cancelled", the rule the payment
service follows with its VOIDED payments).
"""

from participant import Action, money

SCHEMA = """
CREATE TABLE IF NOT EXISTS bookings(
  trip_id TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('BOOKED', 'DECLINED', 'CANCELLED', 'VOIDED')),
  reason TEXT,
  price_cents INTEGER,
  details TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
"""


def no_fields(body):
    """A cancel carries only the engine's fields (the definition's compensation payload is {})."""
    return {}


def book_action(step, topic, reply_topic, check, decide, describe):
    """The command: book once. `decide(fields)` is None to book, or the reason to decline; `describe(fields)` is
    the booking in words, for the log and the row."""

    def run(db, trip_id, fields):
        row = db.execute("SELECT status, reason, price_cents FROM bookings WHERE trip_id = ?", (trip_id,)).fetchone()
        if row is None:
            reason = decide(fields)
            status = "DECLINED" if reason else "BOOKED"
            db.execute("INSERT INTO bookings(trip_id, status, reason, price_cents, details) VALUES (?, ?, ?, ?, ?)",
                       (trip_id, status, reason, fields["price"], describe(fields)))
            what = f"booked {describe(fields)}" if reason is None else f"declined ({reason}): {describe(fields)}"
            row = (status, reason, fields["price"])
        else:  # decided before (or cancelled first): describe it, change nothing
            what = f"already {row[0]}; nothing done"
        status, reason, price_cents = row
        if status == "BOOKED":
            return {"success": True, "price": money(price_cents)}, what
        return {"success": False, "reason": reason if status == "DECLINED" else "cancelled"}, what

    return Action(topic, reply_topic, step, check, run)


def cancel_action(step, topic, reply_topic):
    """The compensation: undo a booking once; a cancel of nothing leaves the tombstone. Always confirms."""

    def run(db, trip_id, fields):
        row = db.execute("SELECT status FROM bookings WHERE trip_id = ?", (trip_id,)).fetchone()
        if row is None:
            db.execute("INSERT INTO bookings(trip_id, status, details) VALUES (?, 'VOIDED', '')", (trip_id,))
            return {"success": True, "status": "VOIDED"}, "voided: nothing was booked; a late booking will be refused"
        if row[0] == "BOOKED":
            db.execute("UPDATE bookings SET status = 'CANCELLED', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                       "WHERE trip_id = ?", (trip_id,))
            return {"success": True, "status": "CANCELLED"}, "cancelled the booking"
        return {"success": True, "status": row[0]}, f"nothing to cancel ({row[0]})"

    return Action(topic, reply_topic, step + ":compensation", no_fields, run)
