-- why: the delivery ledger makes a digest go out at most once per subscription and local date, even across restarts and processes.
CREATE TABLE digest_deliveries (
  subscription_id integer NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  local_date      text NOT NULL,
  slot_at         text NOT NULL,
  state           text NOT NULL CHECK (state IN ('claimed', 'sent', 'failed', 'missed')),
  late            integer NOT NULL DEFAULT 0,
  attempts        integer NOT NULL DEFAULT 0,
  claimed_by      text,
  claimed_at      text,
  retry_at        text,
  message_id      text,
  parts_sent      integer NOT NULL DEFAULT 0,
  error           text,
  updated_at      text NOT NULL,
  PRIMARY KEY (subscription_id, local_date)
);
CREATE INDEX digest_deliveries_retry ON digest_deliveries (state, retry_at) WHERE state = 'failed';
