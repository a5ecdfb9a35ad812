"""The loop every participant of the trip example runs: the rules of docs/participants.md, written once.

A participant is one broker account, one SQLite database ($SAGAFLOW_HOME/data/<account>.db) and one persistent
MQTT session. For each message on a topic it handles, inside paho's on_message (paho sends the PUBACK only once
that returns, so nothing is acknowledged before it is stored):

1. check it: size, UTF-8, a JSON object, messageId, the correlation id, and exactly the idempotency key the saga
   uses for that topic; a message that can never be used is dead-lettered (a row, and deadletter/<topic> through
   the outbox) and acknowledged;
2. in ONE transaction: a key answered before gets its stored reply appended to the outbox again and nothing else;
   a new key runs the action (the business logic) and stores its reply and the reply's outbox row;
3. every COMMIT waits for its fsync (synchronous=FULL), so the relay thread may publish any row it can read: it
   publishes the outbox in id order with QoS 1, and marks a row published only once the broker acknowledged it.

If the database fails, the process exits without acknowledging, and the broker delivers the message again after a
restart. hotel.py, flight.py, car.py and desk.py are this loop plus their actions. Standard library and
python3-paho-mqtt (Debian 12: paho-mqtt 1.6) only.
"""

import contextlib
import decimal
import json
import os
import sqlite3
import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

MAX_MESSAGE_BYTES = 64 * 1024
MAX_ID_CHARS = 200
MAX_AMOUNT = decimal.Decimal("100000000000.00")  # more than any trip's input allows; its cents fit SQLite's integer
DEAD_LETTER_COPY_BYTES = 4096
RELAY_BATCH = 100
PUBACK_WAIT_S = 10

SCHEMA = """
CREATE TABLE IF NOT EXISTS replies(idempotency_key TEXT PRIMARY KEY, topic TEXT NOT NULL, reply_topic TEXT NOT NULL,
                                   reply_payload TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox(id INTEGER PRIMARY KEY, topic TEXT NOT NULL, payload TEXT NOT NULL,
                                  created_at TEXT NOT NULL, published_at TEXT);
CREATE TABLE IF NOT EXISTS dead_letters(id INTEGER PRIMARY KEY, topic TEXT NOT NULL, payload TEXT NOT NULL,
                                        error TEXT NOT NULL, received_at TEXT NOT NULL);
"""


class Malformed(Exception):
    """A message that can never be used: it is dead-lettered, then acknowledged."""

    def __init__(self, error, correlation_id=""):
        super().__init__(error)
        self.correlation_id = correlation_id


@dataclass(frozen=True)
class Action:
    """What a participant does with the messages of one topic."""

    topic: str  # the topic it consumes
    reply_topic: str  # where it answers
    key_suffix: str  # the key must be "<correlation id>:<key_suffix>": "hotel", "hotel:compensation", "outcome"
    check: Callable  # check(body) -> fields; pure; raises Malformed for a field the action cannot use
    run: Callable  # run(db, correlation_id, fields) -> (reply fields, what happened); inside the transaction


def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def clean_text(value, max_chars):
    """A non-empty string without control characters (ids and names end up in logs) that SQLite can store."""
    return (isinstance(value, str) and 0 < len(value) <= max_chars and
            not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in value))


def text(body, name, max_chars=100):
    value = body.get(name)
    if not clean_text(value, max_chars):
        raise Malformed(f"{name} must be a string of 1 to {max_chars} characters without control characters")
    return value


def whole(body, name, low, high):
    value = body.get(name)
    if type(value) is not int or not low <= value <= high:
        raise Malformed(f"{name} must be an integer from {low} to {high}")
    return value


def cents(body, name):
    """A money field (a JSON number, not negative, at most two decimals), read exactly: integer cents."""
    value = body.get(name)
    if type(value) is int:
        value = decimal.Decimal(value)
    # Compared before any arithmetic: 1e999999 is a valid JSON number that would overflow Decimal's context.
    if not isinstance(value, decimal.Decimal) or not 0 <= value <= MAX_AMOUNT or value.as_tuple().exponent < -2:
        raise Malformed(f"{name} must be an amount from 0 to {MAX_AMOUNT} with at most two decimals")
    return int(value * 100)


def money(amount_cents):
    # The orchestrator compares amounts to the cent; n / 100 is the double nearest n hundredths, and its repr is
    # the shortest text that reads back as it ("64.98", "80.0").
    return amount_cents / 100


def open_db(path):
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # we write BEGIN and COMMIT
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")  # COMMIT returns only once the WAL is fsynced: durable before visible
    db.execute("PRAGMA busy_timeout=10000")  # the relay's UPDATE and a handler's transaction may meet
    return db


@contextlib.contextmanager
def transaction(db):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def append(db, topic, payload):
    db.execute("INSERT INTO outbox(topic, payload, created_at) VALUES (?, ?, ?)", (topic, payload, now_iso()))


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


class Participant:
    """One account's loop. `actions` say what each consumed topic does; `schema` creates the action's tables."""

    def __init__(self, account, correlation, actions, schema="", home=None):
        self.account = account
        self.correlation = correlation
        self.actions = {action.topic: action for action in actions}
        self.schema = schema
        self.home = home or os.environ.get("SAGAFLOW_HOME", "var")
        self.db_path = os.path.join(self.home, "data", account + ".db")
        self.wake = threading.Event()  # set when the outbox has new rows

    def log(self, line, level="info"):
        print(f"{now_iso()} {level} {self.account} {line}", file=sys.stderr, flush=True)

    def open(self):
        """The database, created if need be, with the loop's tables and the actions'."""
        os.makedirs(os.path.dirname(self.db_path), exist_ok=True)
        db = open_db(self.db_path)
        db.executescript(SCHEMA + self.schema)
        return db

    def parse(self, action, raw):
        """(correlation id, key, fields) of a usable message; raises Malformed otherwise."""
        if len(raw) > MAX_MESSAGE_BYTES:
            raise Malformed(f"payload of {len(raw)} bytes is over the limit of {MAX_MESSAGE_BYTES}")
        try:
            body = json.loads(raw.decode("utf-8"), parse_float=decimal.Decimal, parse_constant=reject_constant)
        except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise Malformed(f"not UTF-8 JSON: {e}")
        if not isinstance(body, dict):
            raise Malformed("payload must be a JSON object")
        if not clean_text(body.get("messageId"), MAX_ID_CHARS):
            raise Malformed("messageId must be a non-empty string without control characters")
        correlation_id = body.get(self.correlation)
        if not clean_text(correlation_id, MAX_ID_CHARS):
            raise Malformed(f"{self.correlation} must be a non-empty string without control characters")
        key = f"{correlation_id}:{action.key_suffix}"
        if body.get("idempotencyKey") != key:
            raise Malformed(f"idempotencyKey must be {key} on {action.topic}", correlation_id)
        try:
            return correlation_id, key, action.check(body)
        except Malformed as e:
            raise Malformed(str(e), correlation_id)

    def handle(self, db, topic, raw):
        """Stores everything one message causes and returns the line to log; raises only if the database fails."""
        action = self.actions[topic]
        try:
            correlation_id, key, fields = self.parse(action, raw)
        except Malformed as e:
            self.dead_letter(db, topic, raw, str(e), e.correlation_id)
            return f"{self.correlation}={e.correlation_id} {topic}: dead-lettered: {e}"
        tag = f"{self.correlation}={correlation_id} {topic}"
        with transaction(db):
            stored = db.execute("SELECT reply_topic, reply_payload FROM replies WHERE idempotency_key = ?",
                                (key,)).fetchone()
            if stored:  # a repeat: the same answer again, byte for byte, and nothing else
                append(db, stored[0], stored[1])
                return f"{tag}: {key} answered before; its reply is sent again"
            reply, what = action.run(db, correlation_id, fields)
            payload = to_json({"messageId": str(uuid.uuid4()), self.correlation: correlation_id,
                               "idempotencyKey": key, **reply, "at": now_iso()})
            db.execute("INSERT INTO replies VALUES (?, ?, ?, ?, ?)", (key, topic, action.reply_topic, payload, now_iso()))
            append(db, action.reply_topic, payload)
        return f"{tag}: {what}"

    def dead_letter(self, db, topic, raw, error, correlation_id):
        copy = raw[:DEAD_LETTER_COPY_BYTES].decode("utf-8", "replace")
        at = now_iso()
        message = to_json({"messageId": str(uuid.uuid4()), self.correlation: correlation_id, "topic": topic,
                           "payload": copy, "error": error, "at": at, "when": at})
        with transaction(db):
            db.execute("INSERT INTO dead_letters(topic, payload, error, received_at) VALUES (?, ?, ?, ?)",
                       (topic, copy, error, at))
            append(db, "deadletter/" + topic, message)

    # paho's callbacks (paho-mqtt 1.6 signatures); they run on paho's network thread, one at a time.

    def on_message(self, client, db, message):
        try:
            line = self.handle(db, message.topic, message.payload)
        except Exception as e:  # the store failed: exit unacknowledged, and the broker delivers it again
            self.log(f"fatal: cannot store the effects of a message on {message.topic}: {e!r}", "critical")
            os._exit(3)
        self.log(line)
        self.wake.set()

    def on_connect(self, client, db, flags, rc):
        if rc != 0:
            self.log(f"the broker refused the connection: {rc}", "error")
            return
        # Subscribe after every connect: a broker that lost its persistence has forgotten the session.
        client.subscribe([(topic, 1) for topic in self.actions])
        self.log(f"connected (session present: {flags.get('session present', 0)})")
        self.wake.set()

    def on_subscribe(self, client, db, mid, granted_qos):
        if any(qos == 0x80 for qos in granted_qos):
            self.log(f"the broker refused a subscription ({granted_qos}): does its ACL know {self.account}?", "critical")
            os._exit(2)
        self.log("subscribed to " + ", ".join(self.actions))

    def on_disconnect(self, client, db, rc):
        self.log(f"disconnected ({rc}); reconnecting", "warn")

    def run(self):
        import paho.mqtt.client as mqtt  # here, so that the tests of the logic need no broker client

        password = read_password(self.home, self.account)
        host, port, tls = broker_address()
        self.open().close()
        client = mqtt.Client(client_id=self.account, clean_session=False, userdata=open_db(self.db_path),
                             protocol=mqtt.MQTTv311)
        client.username_pw_set(self.account, password)
        if tls:
            client.tls_set(ca_certs=os.environ.get("SAGAFLOW_MQTT_CA_FILE") or None)
        client.on_message = self.on_message  # before connecting: a queued message may come with the CONNACK
        client.on_connect = self.on_connect
        client.on_subscribe = self.on_subscribe
        client.on_disconnect = self.on_disconnect
        client.reconnect_delay_set(1, 30)
        client.connect_async(host, port, keepalive=10)
        client.loop_start()  # paho's network thread: reconnects, and calls on_message one message at a time
        self.log(f"started: {self.db_path}, broker {host}:{port}")
        Relay(open_db(self.db_path), client, self.wake).run_forever()


class Relay:
    """Publishes the outbox in id order; a row is marked published only once the broker acknowledged it and every
    row before it. After a failure or a restart it starts again from the first unacknowledged row, so a reply may
    go out twice, which every consumer of a saga expects."""

    def __init__(self, db, client, wake):
        self.db = db
        self.client = client
        self.wake = wake

    def run_once(self):
        """Publishes one batch; returns how many rows it marked published."""
        if not self.client.is_connected():
            return 0
        rows = self.db.execute("SELECT id, topic, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?",
                               (RELAY_BATCH,)).fetchall()
        sent = [(row_id, self.client.publish(topic, payload, qos=1, retain=False)) for row_id, topic, payload in rows]
        acknowledged = []
        for row_id, info in sent:
            try:
                info.wait_for_publish(PUBACK_WAIT_S)
                if not info.is_published():
                    break
            except (RuntimeError, ValueError):  # not connected, or not queued: again from here next time
                break
            acknowledged.append(row_id)
        if acknowledged:
            self.db.execute(f"UPDATE outbox SET published_at = ? WHERE id IN ({','.join('?' * len(acknowledged))})",
                            (now_iso(), *acknowledged))
        return len(acknowledged)

    def run_forever(self):
        while True:
            self.wake.wait(1.0)  # woken by a new row or a connect; the timeout retries what failed
            self.wake.clear()
            while self.run_once() == RELAY_BATCH:
                pass


def read_password(home, account):
    path = os.path.join(home, "secrets", "mqtt", account)
    try:
        if os.stat(path).st_mode & 0o077:
            sys.exit(f"{account}: {path} must not be accessible to group or others (chmod 600)")
        with open(path, encoding="utf-8") as secret:
            password = secret.readline().strip()
    except OSError as e:
        sys.exit(f"{account}: cannot read the broker password: {e} (scripts/run creates it when the account is in a "
                 f"definition of SAGAFLOW_SAGAS_DIR)")
    if not password:
        sys.exit(f"{account}: {path} is empty")
    return password


def broker_address():
    """(host, port, tls) from SAGAFLOW_MQTT_URL (tcp:// or ssl://host:port), else 127.0.0.1:SAGAFLOW_MQTT_PORT."""
    url = os.environ.get("SAGAFLOW_MQTT_URL", "")
    if not url:
        return "127.0.0.1", int(os.environ.get("SAGAFLOW_MQTT_PORT", "1883")), False
    scheme, _, rest = url.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("tcp", "ssl") or not host or not port.isdigit():
        sys.exit(f"SAGAFLOW_MQTT_URL must be tcp://host:port or ssl://host:port, not {url}")
    return host, int(port), scheme == "ssl"
