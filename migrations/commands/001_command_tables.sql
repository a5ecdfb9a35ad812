-- The command processor's tables (services/commands): a command runs once per idempotency key; its reply is
-- stored for repeats (epoch ms, pruned after a week), and commands wait in pending_commands for their simulated
-- processing time.
CREATE TABLE command_replies (
  idempotency_key TEXT PRIMARY KEY,
  command_topic   TEXT NOT NULL,
  reply_topic     TEXT NOT NULL,
  reply_payload   TEXT NOT NULL,
  created_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX command_replies_created ON command_replies(created_at);

CREATE TABLE pending_commands (
  idempotency_key TEXT PRIMARY KEY,
  topic           TEXT NOT NULL,
  order_id        TEXT NOT NULL,
  payload         TEXT NOT NULL,
  due_at          INTEGER NOT NULL
);
CREATE INDEX pending_commands_due ON pending_commands(due_at);
