-- why: adapters keep a little state of their own (Slack installations, Discord's registered-commands hash) in the same database, as opaque values.
CREATE TABLE platform_state (
  platform   TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (platform, key)
) STRICT;
