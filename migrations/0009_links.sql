-- why: several workspaces (Slack, Discord, any mix) may share one docket (issue 12). An admin's one-time link code is kept only as a SHA-256 hash of its normalised text, so a copy of the database reveals no usable code; wrong, expired and used codes are counted per workspace in link_attempts, so guessing stays slow across replicas and restarts.
CREATE TABLE link_codes (
  code_hash         TEXT NOT NULL PRIMARY KEY,
  docket_id         INTEGER NOT NULL REFERENCES dockets (id),
  created_by        TEXT NOT NULL,
  created_platform  TEXT NOT NULL,
  created_workspace TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  expires_at        TEXT NOT NULL,
  used_at           TEXT,
  used_by_platform  TEXT,
  used_by_workspace TEXT
) STRICT;
CREATE INDEX link_codes_docket ON link_codes (docket_id);
CREATE TABLE link_attempts (
  id           INTEGER PRIMARY KEY,
  platform     TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  at           TEXT NOT NULL,
  outcome      TEXT NOT NULL CHECK (outcome IN ('wrong', 'expired', 'used'))
) STRICT;
CREATE INDEX link_attempts_workspace ON link_attempts (platform, workspace_id, at);
