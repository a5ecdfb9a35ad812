#!/usr/bin/python3
"""trip-desk: hears how each trip ended (trips/booked or trips/cancelled), records it once, and acknowledges every
outcome message on trips/acknowledged, repeats included, which is what stops the orchestrator re-sending it. The
desk is who tells the traveller; sagaflow's notification service plays the same part for orders."""

from participant import Action, Participant, clean_text

SCHEMA = """
CREATE TABLE IF NOT EXISTS trips(trip_id TEXT PRIMARY KEY, outcome TEXT NOT NULL, reason TEXT, traveller TEXT,
                                 recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
"""


def check(body):
    # A trip refused at the start (invalid_trip) may have no usable traveller: keep what there is.
    traveller = body.get("traveller")
    reason = body.get("reason")
    return {"traveller": traveller if clean_text(traveller, 100) else None,
            "reason": reason if clean_text(reason, 200) else None}


def record(outcome):
    def run(db, trip_id, fields):
        db.execute("INSERT OR IGNORE INTO trips(trip_id, outcome, reason, traveller) VALUES (?, ?, ?, ?)",
                   (trip_id, outcome, fields["reason"], fields["traveller"]))
        because = f" ({fields['reason']})" if fields["reason"] else ""
        return {"outcome": outcome}, f"trip {outcome}{because} for {fields['traveller']}; acknowledged"

    return run


ACTIONS = [Action("trips/booked", "trips/acknowledged", "outcome", check, record("booked")),
           Action("trips/cancelled", "trips/acknowledged", "outcome", check, record("cancelled"))]

if __name__ == "__main__":
    Participant("trip-desk", "tripId", ACTIONS, SCHEMA).run()
