#!/usr/bin/python3
"""hotel-service: books a room for the trip's nights in its city, and cancels it when the saga compensates."""

from bookings import SCHEMA, book_action, cancel_action
from participant import Participant, cents, text, whole


def check(body):
    return {"traveller": text(body, "traveller"), "city": text(body, "city"), "nights": whole(body, "nights", 1, 90),
            "price": cents(body, "price")}


def decide(fields):
    return None  # every city has a room


def describe(fields):
    return f"{fields['nights']} nights in {fields['city']} for {fields['traveller']}"


ACTIONS = [book_action("hotel", "hotels/book", "hotels/booked", check, decide, describe),
           cancel_action("hotel", "hotels/cancel", "hotels/cancelled")]

if __name__ == "__main__":
    Participant("hotel-service", "tripId", ACTIONS, SCHEMA).run()
