-- why: adapters keep a little state of their own (Slack installations, Discord's registered-commands hash) in the same database, as opaque values.
CREATE TABLE platform_state (
  platform   text NOT NULL,
  key        text NOT NULL,
  value      text NOT NULL,
  updated_at text NOT NULL,
  PRIMARY KEY (platform, key)
);
