#!/usr/bin/python3
"""flight-service: books a seat from one airport to another, and cancels it when the saga compensates. A flight
that goes nowhere (from the airport it leaves) is declined with reason same_airport."""

from bookings import SCHEMA, book_action, cancel_action
from participant import Participant, cents, text


def check(body):
    return {"traveller": text(body, "traveller"), "from": text(body, "from", 3), "to": text(body, "to", 3),
            "price": cents(body, "price")}


def decide(fields):
    return "same_airport" if fields["from"] == fields["to"] else None


def describe(fields):
    return f"{fields['from']}-{fields['to']} for {fields['traveller']}"


ACTIONS = [book_action("flight", "flights/book", "flights/booked", check, decide, describe),
           cancel_action("flight", "flights/cancel", "flights/cancelled")]

if __name__ == "__main__":
    Participant("flight-service", "tripId", ACTIONS, SCHEMA).run()
