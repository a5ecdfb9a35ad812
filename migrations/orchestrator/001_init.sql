-- orchestrator: saga instances and their steps, and the messaging tables.
CREATE TABLE sagas (
  saga_id        TEXT PRIMARY KEY,
  order_id       TEXT NOT NULL UNIQUE,
  definition     TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('RUNNING','COMPENSATING','COMPLETED','CANCELLED','FAILED')),
  stage          INTEGER NOT NULL DEFAULT 0,
  failure_reason TEXT,
  data           TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX sagas_state_updated ON sagas(state, updated_at);

CREATE TABLE saga_steps (
  saga_id               TEXT NOT NULL REFERENCES sagas(saga_id),
  step                  TEXT NOT NULL,
  stage                 INTEGER NOT NULL,
  status                TEXT NOT NULL,
  attempts              INTEGER NOT NULL DEFAULT 0,
  compensation_attempts INTEGER NOT NULL DEFAULT 0,
  -- epoch ms at which the step is acted on if no reply came; NULL when nothing is awaited
  deadline              INTEGER,
  sent_at               INTEGER,
  failure_reason        TEXT,
  last_reply            TEXT,
  updated_at            TEXT NOT NULL,
  PRIMARY KEY (saga_id, step)
);
CREATE INDEX saga_steps_deadline ON saga_steps(deadline) WHERE deadline IS NOT NULL;

CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  topic        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  published_at TEXT
);
CREATE INDEX outbox_unpublished ON outbox(id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox(published_at) WHERE published_at IS NOT NULL;

CREATE TABLE inbox (
  message_id  TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
);
CREATE INDEX inbox_received ON inbox(received_at);

CREATE TABLE dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  topic       TEXT NOT NULL,
  payload     TEXT NOT NULL,
  error       TEXT NOT NULL,
  received_at TEXT NOT NULL
);
