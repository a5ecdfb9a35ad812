-- Several saga definitions in one orchestrator, each in several versions.
--
-- A saga instance is named by its definition and its correlation id (order_id holds the value of the definition's
-- correlation field: the order id for the order saga), so two definitions may use the same id. Each instance
-- records the version of its definition it began on, and saga_definitions keeps every version the orchestrator
-- has run, so an instance finishes on its own version after its file changed or went away.
--
-- SQLite cannot drop a UNIQUE constraint, so sagas is rebuilt. saga_steps references it and foreign keys are on
-- (they cannot be switched off inside this migration's transaction): both are copied to new tables, the old ones
-- dropped children first, and the new ones renamed, which rewrites the reference to the new sagas.
CREATE TABLE sagas_v2 (
  saga_id            TEXT PRIMARY KEY,
  order_id           TEXT NOT NULL,
  definition         TEXT NOT NULL,
  definition_version INTEGER NOT NULL DEFAULT 1,
  state              TEXT NOT NULL CHECK (state IN ('RUNNING','COMPENSATING','COMPLETED','CANCELLED','FAILED')),
  stage              INTEGER NOT NULL DEFAULT 0,
  failure_reason     TEXT,
  data               TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  -- order_id first: the index also finds a saga by its id alone (operators, sagactl, verify).
  UNIQUE (order_id, definition)
);
INSERT INTO sagas_v2(saga_id, order_id, definition, state, stage, failure_reason, data, created_at, updated_at)
  SELECT saga_id, order_id, definition, state, stage, failure_reason, data, created_at, updated_at FROM sagas;

CREATE TABLE saga_steps_v2 (
  saga_id               TEXT NOT NULL REFERENCES sagas_v2(saga_id),
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
  -- The outbox row of the last message sent for the step, kept until it is seen published, and the wait the
  -- engine gave it: a step's time-out counts from when its message left our own outbox, not from when it was
  -- queued there, so a backlog in the relay does not make every waiting step time out and be sent again.
  outbox_id             INTEGER,
  wait_ms               INTEGER,
  PRIMARY KEY (saga_id, step)
);
INSERT INTO saga_steps_v2 SELECT saga_id, step, stage, status, attempts, compensation_attempts, deadline, sent_at,
  failure_reason, last_reply, updated_at, outbox_id, wait_ms FROM saga_steps ORDER BY rowid;

DROP TABLE saga_steps;
DROP TABLE sagas;
ALTER TABLE sagas_v2 RENAME TO sagas;
ALTER TABLE saga_steps_v2 RENAME TO saga_steps;
CREATE INDEX sagas_state ON sagas(state);
CREATE INDEX saga_steps_deadline ON saga_steps(deadline) WHERE deadline IS NOT NULL;

-- Every version of every definition the orchestrator has run, as canonical JSON (the same version with other
-- content is refused). current: the version the folder of definitions held at the orchestrator's last start.
CREATE TABLE saga_definitions (
  name         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content      TEXT NOT NULL,
  file         TEXT NOT NULL,
  first_run_at TEXT NOT NULL,
  current      INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0, 1)),
  PRIMARY KEY (name, version)
);
