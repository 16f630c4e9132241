-- why: a digest is rendered once and its messages kept until delivered, so a retry or a restart sends the rest of that same rendering, never a new split.
CREATE TABLE digest_delivery_parts (
  subscription_id integer NOT NULL,
  local_date      text NOT NULL,
  part            integer NOT NULL CHECK (part >= 1),
  -- The message as the chat port rendered it; cleared once the delivery is over, so the ledger does not keep a digest a day.
  body            text,
  message_id      text,
  sent_at         text,
  PRIMARY KEY (subscription_id, local_date, part),
  FOREIGN KEY (subscription_id, local_date) REFERENCES digest_deliveries (subscription_id, local_date) ON DELETE CASCADE
);

-- A digest half-posted by an earlier Docket has no stored parts to resume from: its retry is given up rather than its start posted twice.
UPDATE digest_deliveries SET retry_at = NULL WHERE state = 'failed' AND parts_sent > 0;
ALTER TABLE digest_deliveries DROP COLUMN parts_sent;
