-- why: the scheduler finds due subscriptions by an index instead of reading every subscription each minute; a replica holds the ones it works on by moving next_slot_at past now.
ALTER TABLE subscriptions ADD COLUMN next_slot_at text;
CREATE INDEX subscriptions_due ON subscriptions (next_slot_at) WHERE state = 'active';
