-- why: the delivery ledger makes a digest go out at most once per subscription and local date, even across restarts and processes.
CREATE TABLE digest_deliveries (
  subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  local_date      TEXT NOT NULL,
  slot_at         TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed', 'missed')),
  late            INTEGER NOT NULL DEFAULT 0,
  attempts        INTEGER NOT NULL DEFAULT 0,
  claimed_by      TEXT,
  claimed_at      TEXT,
  retry_at        TEXT,
  message_id      TEXT,
  parts_sent      INTEGER NOT NULL DEFAULT 0,
  error           TEXT,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (subscription_id, local_date)
) STRICT;
CREATE INDEX digest_deliveries_retry ON digest_deliveries (state, retry_at) WHERE state = 'failed';
