#!/usr/bin/python3
"""car-service: rents a car of the asked class in the hotel's city, and cancels the rental when the saga
compensates. A class it does not have is declined with reason no_such_car_class, which is how a trip's flight and
hotel get cancelled on purpose."""

from bookings import SCHEMA, book_action, cancel_action
from participant import Participant, cents, text, whole

FLEET = ("economy", "compact", "estate", "van")


def check(body):
    return {"traveller": text(body, "traveller"), "city": text(body, "city"), "class": text(body, "class", 32),
            "days": whole(body, "days", 1, 90), "price": cents(body, "price")}


def decide(fields):
    return None if fields["class"] in FLEET else "no_such_car_class"


def describe(fields):
    return f"a {fields['class']} car in {fields['city']} for {fields['days']} days for {fields['traveller']}"


ACTIONS = [book_action("car", "cars/rent", "cars/rented", check, decide, describe),
           cancel_action("car", "cars/cancel", "cars/cancelled")]

if __name__ == "__main__":
    Participant("car-service", "tripId", ACTIONS, SCHEMA).run()
