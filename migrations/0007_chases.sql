-- why: the record that moves an institution is how often the coalition pressed it and how long it waited; a channel's digest may list the questions due for a chase.
CREATE TABLE chases (
  id          INTEGER PRIMARY KEY,
  docket_id   INTEGER NOT NULL REFERENCES dockets (id),
  question_id INTEGER NOT NULL REFERENCES questions (id),
  text        TEXT NOT NULL,
  via         TEXT CHECK (via IN ('email', 'letter', 'meeting', 'call', 'other')),
  on_date     TEXT NOT NULL,
  contact     TEXT,
  logged_by   INTEGER NOT NULL REFERENCES members (id),
  logged_at   TEXT NOT NULL
) STRICT;
CREATE INDEX chases_question ON chases (question_id, on_date, id);
CREATE INDEX chases_docket ON chases (docket_id, id);
ALTER TABLE subscriptions ADD COLUMN chase_after INTEGER;
