-- The saga engine's tables (orchestrator/engine): one row per saga instance and one per step.
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
CREATE INDEX sagas_state ON sagas(state);

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
  -- The outbox row of the last message sent for the step, kept until it is seen published, and the wait the
  -- engine gave it: a step's time-out counts from when its message left our own outbox, not from when it was
  -- queued there, so a backlog in the relay does not make every waiting step time out and be sent again.
  outbox_id             INTEGER,
  wait_ms               INTEGER,
  PRIMARY KEY (saga_id, step)
);
CREATE INDEX saga_steps_deadline ON saga_steps(deadline) WHERE deadline IS NOT NULL;
