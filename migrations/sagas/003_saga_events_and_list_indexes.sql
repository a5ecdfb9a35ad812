-- The timeline of every saga, for operators (orchestrator/engine/saga_events.h), and the indexes a console's list
-- of sagas pages through.
--
-- One row per thing that happened to a saga, appended by the SagaManager in the transaction of the decision that
-- caused it. seq numbers a saga's events from 1 (the next is MAX(seq) + 1 of the rows it has). at is the
-- orchestrator's clock (ISO 8601, ms, UTC); step is NULL for what concerns the whole saga; attempt is the send
-- number of a command, compensation or outcome; topic and payload are the message sent or received.
-- WITHOUT ROWID: the rows are read and deleted by saga, and a rowid table would need a second B-tree for the
-- primary key, one more page written by every decision.
CREATE TABLE saga_events (
  saga_id TEXT NOT NULL REFERENCES sagas(saga_id),
  seq     INTEGER NOT NULL,
  at      TEXT NOT NULL,
  kind    TEXT NOT NULL,
  step    TEXT,
  attempt INTEGER,
  topic   TEXT,
  payload TEXT,
  detail  TEXT,
  PRIMARY KEY (saga_id, seq)
) WITHOUT ROWID;
-- Retention: one entry per timeline (its first event), oldest first, so the clean-up finds the timelines old enough
-- to delete without walking the history or those it already deleted. A timeline deleted and begun again (an event
-- after the deletion) starts at seq 1 and is found the same way.
CREATE INDEX saga_events_begun ON saga_events(at) WHERE seq = 1;

-- The console's list of sagas: newest first, paged by (created_at, saga_id), all of them or by state or by
-- definition. The state index keeps state first, so the metrics and the start-up checks still use it.
CREATE INDEX sagas_created ON sagas(created_at, saga_id);
DROP INDEX sagas_state;
CREATE INDEX sagas_state ON sagas(state, created_at, saga_id);
CREATE INDEX sagas_definition ON sagas(definition, created_at, saga_id);
