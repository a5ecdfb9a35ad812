-- The outbox row of the last message sent for a step, kept until it is seen published, and the wait the
-- engine gave it: a step's time-out counts from when its message left our own outbox, not from when it
-- was queued there, so a backlog in the relay does not make every waiting step time out and be sent
-- again (a retry storm under overload).
ALTER TABLE saga_steps ADD COLUMN outbox_id INTEGER;
ALTER TABLE saga_steps ADD COLUMN wait_ms INTEGER;
