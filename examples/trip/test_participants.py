"""The trip participants' logic without a broker: each message's effect and reply committed together, a repeat
answered with the stored reply and nothing more, the tombstone rule, dead letters, the desk's acknowledgement, and a
relay that marks a row published only once the broker acknowledged it. Run: python3 -m unittest (from ctest)."""

import json
import os
import tempfile
import unittest

import car
import desk
import flight
import hotel
from participant import Participant, Relay


def message(key_suffix, trip="t-1", message_id="m-1", **fields):
    return json.dumps({"messageId": message_id, "tripId": trip, "idempotencyKey": f"{trip}:{key_suffix}",
                       **fields}).encode()


HOTEL = {"traveller": "Ada", "city": "Lisbon", "nights": 3, "price": 240.5}
CAR = {"traveller": "Ada", "city": "Lisbon", "class": "compact", "days": 3, "price": 99}


class ParticipantCase(unittest.TestCase):
    actions = hotel.ACTIONS
    schema = hotel.SCHEMA

    def setUp(self):
        self.home = tempfile.TemporaryDirectory()
        self.participant = Participant("test-service", "tripId", self.actions, self.schema, home=self.home.name)
        self.db = self.participant.open()

    def tearDown(self):
        self.db.close()
        self.home.cleanup()

    def handle(self, topic, raw):
        return self.participant.handle(self.db, topic, raw)

    def outbox(self):
        return [(topic, json.loads(payload)) for topic, payload in
                self.db.execute("SELECT topic, payload FROM outbox ORDER BY id")]

    def booking(self, trip="t-1"):
        return self.db.execute("SELECT status, reason, price_cents FROM bookings WHERE trip_id = ?", (trip,)).fetchone()


class BookingTest(ParticipantCase):
    def test_a_booking_and_its_reply_are_stored_together(self):
        line = self.handle("hotels/book", message("hotel", **HOTEL))
        self.assertEqual(self.booking(), ("BOOKED", None, 24050))
        [(topic, reply)] = self.outbox()
        self.assertEqual(topic, "hotels/booked")
        self.assertEqual((reply["tripId"], reply["idempotencyKey"], reply["success"], reply["price"]),
                         ("t-1", "t-1:hotel", True, 240.5))
        self.assertNotEqual(reply["messageId"], "m-1")
        self.assertIn("tripId=t-1 hotels/book: booked 3 nights in Lisbon for Ada", line)

    def test_a_repeat_gets_the_same_reply_byte_for_byte_and_books_nothing_more(self):
        self.handle("hotels/book", message("hotel", **HOTEL))
        self.handle("hotels/book", message("hotel", message_id="m-2", **{**HOTEL, "price": 1}))
        rows = self.db.execute("SELECT topic, payload FROM outbox ORDER BY id").fetchall()
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0], rows[1])
        self.assertEqual(self.db.execute("SELECT COUNT(*) FROM bookings").fetchone()[0], 1)
        self.assertEqual(self.booking(), ("BOOKED", None, 24050))

    def test_a_cancel_before_the_booking_leaves_a_tombstone_that_refuses_it(self):
        self.handle("hotels/cancel", message("hotel:compensation"))
        self.handle("hotels/book", message("hotel", **HOTEL))
        self.assertEqual(self.booking(), ("VOIDED", None, None))
        (cancelled_topic, cancelled), (booked_topic, booked) = self.outbox()
        self.assertEqual((cancelled_topic, cancelled["success"], cancelled["status"]),
                         ("hotels/cancelled", True, "VOIDED"))
        self.assertEqual((booked_topic, booked["success"], booked["reason"]), ("hotels/booked", False, "cancelled"))
        self.assertNotIn("price", booked)

    def test_a_cancel_undoes_the_booking_once_and_confirms_every_time(self):
        self.handle("hotels/book", message("hotel", **HOTEL))
        self.handle("hotels/cancel", message("hotel:compensation"))
        self.handle("hotels/cancel", message("hotel:compensation", message_id="m-3"))
        self.assertEqual(self.booking()[0], "CANCELLED")
        replies = self.outbox()
        self.assertEqual([topic for topic, _ in replies], ["hotels/booked", "hotels/cancelled", "hotels/cancelled"])
        self.assertEqual(replies[1][1], replies[2][1])
        self.assertEqual(replies[1][1]["idempotencyKey"], "t-1:hotel:compensation")

    def test_trips_do_not_share_bookings(self):
        self.handle("hotels/cancel", message("hotel:compensation", trip="t-2"))
        self.handle("hotels/book", message("hotel", trip="t-1", **HOTEL))
        self.assertEqual(self.booking("t-1")[0], "BOOKED")
        self.assertEqual(self.booking("t-2")[0], "VOIDED")


class DeadLetterTest(ParticipantCase):
    def assert_dead_lettered(self, raw, error, topic="hotels/book"):
        line = self.handle(topic, raw)
        self.assertIn("dead-lettered", line)
        [(stored_topic, stored_error)] = self.db.execute("SELECT topic, error FROM dead_letters").fetchall()
        self.assertEqual(stored_topic, topic)
        self.assertIn(error, stored_error)
        [(out_topic, letter)] = self.outbox()
        self.assertEqual(out_topic, "deadletter/" + topic)
        self.assertIn(error, letter["error"])
        self.assertEqual(self.db.execute("SELECT COUNT(*) FROM bookings").fetchone()[0], 0)
        self.assertEqual(self.db.execute("SELECT COUNT(*) FROM replies").fetchone()[0], 0)

    def test_not_json(self):
        self.assert_dead_lettered(b"{nope", "not UTF-8 JSON")

    def test_not_utf8(self):
        self.assert_dead_lettered(b'{"messageId": "\xff"}', "not UTF-8 JSON")

    def test_too_large(self):
        self.assert_dead_lettered(b" " * (64 * 1024 + 1), "over the limit")

    def test_not_an_object(self):
        self.assert_dead_lettered(b"[1]", "must be a JSON object")

    def test_a_trip_id_with_a_newline(self):
        self.assert_dead_lettered(message("hotel", trip="t\n1", **HOTEL), "tripId must be")

    def test_a_key_of_another_trip_or_action(self):
        raw = json.dumps({"messageId": "m", "tripId": "t-1", "idempotencyKey": "t-2:hotel", **HOTEL}).encode()
        self.assert_dead_lettered(raw, "idempotencyKey must be t-1:hotel")

    def test_a_compensation_key_on_the_command_topic(self):
        self.assert_dead_lettered(message("hotel:compensation", **HOTEL), "idempotencyKey must be t-1:hotel")

    def test_a_price_with_three_decimals(self):
        self.assert_dead_lettered(message("hotel", **{**HOTEL, "price": 1.005}), "price must be an amount")

    def test_a_huge_price(self):
        raw = message("hotel", **HOTEL).replace(b"240.5", b"1e999999")
        self.assert_dead_lettered(raw, "price must be an amount")

    def test_nights_that_are_not_an_integer(self):
        self.assert_dead_lettered(message("hotel", **{**HOTEL, "nights": 2.0}), "nights must be an integer")

    def test_a_missing_city(self):
        fields = dict(HOTEL)
        del fields["city"]
        self.assert_dead_lettered(message("hotel", **fields), "city must be a string")

    def test_a_lone_surrogate_that_sqlite_could_not_store(self):
        raw = message("hotel", **HOTEL).replace(b"Lisbon", b"\\ud800")
        self.assert_dead_lettered(raw, "city must be a string")


class CarTest(ParticipantCase):
    actions = car.ACTIONS
    schema = car.SCHEMA

    def test_a_class_it_does_not_have_is_declined_with_the_reason(self):
        line = self.handle("cars/rent", message("car", **{**CAR, "class": "limousine"}))
        self.assertEqual(self.booking(), ("DECLINED", "no_such_car_class", 9900))
        [(topic, reply)] = self.outbox()
        self.assertEqual((topic, reply["success"], reply["reason"]), ("cars/rented", False, "no_such_car_class"))
        self.assertIn("declined (no_such_car_class)", line)
        # The same answer again, and a compensation of a declined rental changes nothing.
        self.handle("cars/cancel", message("car:compensation"))
        self.assertEqual(self.booking()[0], "DECLINED")

    def test_a_class_it_has_is_rented(self):
        self.handle("cars/rent", message("car", **CAR))
        self.assertEqual(self.booking(), ("BOOKED", None, 9900))


class FlightTest(ParticipantCase):
    actions = flight.ACTIONS
    schema = flight.SCHEMA

    def test_a_flight_to_where_it_leaves_from_is_declined(self):
        self.handle("flights/book", message("flight", traveller="Ada", **{"from": "LIS", "to": "LIS"}, price=10))
        self.assertEqual(self.booking()[:2], ("DECLINED", "same_airport"))


class DeskTest(ParticipantCase):
    actions = desk.ACTIONS
    schema = desk.SCHEMA

    def test_every_outcome_message_is_acknowledged_with_its_key_and_recorded_once(self):
        outcome = message("outcome", traveller="Ada", reason="no_such_car_class", at="2026-01-01T00:00:00.000Z")
        self.handle("trips/cancelled", outcome)
        self.handle("trips/cancelled", outcome)
        acks = self.outbox()
        self.assertEqual([topic for topic, _ in acks], ["trips/acknowledged", "trips/acknowledged"])
        self.assertEqual(acks[0][1]["idempotencyKey"], "t-1:outcome")
        self.assertEqual(acks[0][1], acks[1][1])
        self.assertEqual(self.db.execute("SELECT outcome, reason, traveller FROM trips").fetchall(),
                         [("cancelled", "no_such_car_class", "Ada")])

    def test_an_outcome_without_a_usable_traveller_is_still_acknowledged(self):
        self.handle("trips/cancelled", message("outcome", reason="invalid_trip", traveller=7))
        self.assertEqual(len(self.outbox()), 1)
        self.assertEqual(self.db.execute("SELECT traveller FROM trips").fetchone(), (None,))


class FakeInfo:
    def __init__(self, acknowledged):
        self.acknowledged = acknowledged

    def wait_for_publish(self, timeout):
        pass

    def is_published(self):
        return self.acknowledged


class FakeClient:
    """Acknowledges the first `acks` publishes."""

    def __init__(self, acks):
        self.acks = acks
        self.published = []

    def is_connected(self):
        return True

    def publish(self, topic, payload, qos, retain):
        self.published.append((topic, payload, qos, retain))
        return FakeInfo(len(self.published) <= self.acks)


class RelayTest(ParticipantCase):
    def test_rows_are_published_in_order_and_marked_only_once_acknowledged(self):
        for trip in ("t-1", "t-2", "t-3"):
            self.handle("hotels/book", message("hotel", trip=trip, **HOTEL))
        client = FakeClient(acks=2)
        self.assertEqual(Relay(self.db, client, None).run_once(), 2)
        self.assertEqual([(qos, retain) for _, _, qos, retain in client.published], [(1, False)] * 3)
        self.assertEqual([json.loads(p)["tripId"] for _, p, _, _ in client.published], ["t-1", "t-2", "t-3"])
        unpublished = self.db.execute("SELECT payload FROM outbox WHERE published_at IS NULL").fetchall()
        self.assertEqual([json.loads(p)["tripId"] for (p,) in unpublished], ["t-3"])
        # Next time it starts again from the first unacknowledged row.
        again = FakeClient(acks=1)
        self.assertEqual(Relay(self.db, again, None).run_once(), 1)
        self.assertEqual(len(again.published), 1)


class DurabilityTest(ParticipantCase):
    def test_every_commit_waits_for_its_fsync(self):
        self.assertEqual(self.db.execute("PRAGMA synchronous").fetchone()[0], 2)  # FULL
        self.assertEqual(self.db.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        self.assertTrue(os.path.exists(os.path.join(self.home.name, "data", "test-service.db")))


if __name__ == "__main__":
    unittest.main()
