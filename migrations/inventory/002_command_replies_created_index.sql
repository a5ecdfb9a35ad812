-- Stored replies are pruned after a retention window; the prune scans by age.
CREATE INDEX command_replies_created ON command_replies(created_at);
