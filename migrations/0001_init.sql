-- why: the docket's domain — questions, answers, notes, deadlines, subscriptions, admins — keyed by docket, with an audit trail and full-text search.

CREATE TABLE dockets (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  time_zone  TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE workspaces (
  platform    TEXT NOT NULL CHECK (platform IN ('slack', 'discord', 'console')),
  external_id TEXT NOT NULL,
  name        TEXT NOT NULL,
  docket_id   INTEGER NOT NULL REFERENCES dockets (id),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (platform, external_id)
) STRICT;
CREATE INDEX workspaces_docket ON workspaces (docket_id);

CREATE TABLE members (
  id           INTEGER PRIMARY KEY,
  docket_id    INTEGER NOT NULL REFERENCES dockets (id),
  platform     TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  display_name TEXT NOT NULL,
  seen_at      TEXT NOT NULL,
  UNIQUE (docket_id, platform, user_id)
) STRICT;

CREATE TABLE deadlines (
  id         INTEGER PRIMARY KEY,
  docket_id  INTEGER NOT NULL REFERENCES dockets (id),
  number     INTEGER NOT NULL,
  title      TEXT NOT NULL,
  date       TEXT NOT NULL,
  time       TEXT,
  time_zone  TEXT NOT NULL,
  place      TEXT,
  created_at TEXT NOT NULL,
  removed_at TEXT,
  UNIQUE (docket_id, number)
) STRICT;

CREATE TABLE questions (
  id                 INTEGER PRIMARY KEY,
  docket_id          INTEGER NOT NULL REFERENCES dockets (id),
  number             INTEGER NOT NULL,
  text               TEXT NOT NULL,
  addressee          TEXT,
  tags               TEXT NOT NULL DEFAULT '',
  status             TEXT NOT NULL CHECK (status IN ('open', 'partial', 'answered', 'withdrawn')),
  needed_by_deadline INTEGER,
  needed_by_date     TEXT,
  asked_by           INTEGER NOT NULL REFERENCES members (id),
  asked_at           TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (docket_id, number),
  FOREIGN KEY (docket_id, needed_by_deadline) REFERENCES deadlines (docket_id, number),
  CHECK (needed_by_deadline IS NULL OR needed_by_date IS NULL)
) STRICT;
-- why: `list` and the digest page through open questions oldest first on dockets of 100,000 questions.
CREATE INDEX questions_open ON questions (docket_id, number) WHERE status IN ('open', 'partial');
CREATE INDEX questions_status ON questions (docket_id, status, number);
CREATE INDEX questions_addressee ON questions (docket_id, addressee COLLATE NOCASE, number);

CREATE TABLE question_tags (
  docket_id   INTEGER NOT NULL,
  tag         TEXT NOT NULL,
  question_id INTEGER NOT NULL REFERENCES questions (id),
  PRIMARY KEY (docket_id, tag, question_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX question_tags_question ON question_tags (question_id);

CREATE TABLE answers (
  id          INTEGER PRIMARY KEY,
  docket_id   INTEGER NOT NULL REFERENCES dockets (id),
  question_id INTEGER NOT NULL REFERENCES questions (id),
  text        TEXT NOT NULL,
  source      TEXT,
  kind        TEXT NOT NULL CHECK (kind IN ('full', 'partial')),
  logged_by   INTEGER NOT NULL REFERENCES members (id),
  logged_at   TEXT NOT NULL
) STRICT;
CREATE INDEX answers_question ON answers (question_id, id);
CREATE INDEX answers_logged ON answers (docket_id, logged_at);

CREATE TABLE notes (
  id          INTEGER PRIMARY KEY,
  docket_id   INTEGER NOT NULL REFERENCES dockets (id),
  question_id INTEGER NOT NULL REFERENCES questions (id),
  text        TEXT NOT NULL,
  author      INTEGER NOT NULL REFERENCES members (id),
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX notes_question ON notes (question_id, id);

CREATE TABLE subscriptions (
  id                 INTEGER PRIMARY KEY,
  docket_id          INTEGER NOT NULL REFERENCES dockets (id),
  platform           TEXT NOT NULL,
  workspace_id       TEXT NOT NULL,
  channel_id         TEXT NOT NULL,
  time               TEXT NOT NULL,
  time_zone          TEXT NOT NULL,
  days               TEXT NOT NULL,
  filter_tag         TEXT,
  filter_addressee   TEXT,
  filter_deadline    INTEGER,
  state              TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'off')),
  state_reason       TEXT,
  state_since        TEXT,
  active_since       TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (platform, workspace_id, channel_id)
) STRICT;
CREATE INDEX subscriptions_docket ON subscriptions (docket_id);

CREATE TABLE admins (
  docket_id INTEGER NOT NULL REFERENCES dockets (id),
  kind      TEXT NOT NULL CHECK (kind IN ('member', 'role')),
  platform  TEXT NOT NULL,
  ref_id    TEXT NOT NULL,
  label     TEXT NOT NULL,
  added_by  TEXT NOT NULL,
  added_at  TEXT NOT NULL,
  PRIMARY KEY (docket_id, kind, platform, ref_id)
) STRICT;

CREATE TABLE audit_events (
  id        INTEGER PRIMARY KEY,
  docket_id INTEGER NOT NULL REFERENCES dockets (id),
  actor     TEXT NOT NULL,
  at        TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT,
  before    TEXT,
  after     TEXT
) STRICT;
CREATE INDEX audit_subject ON audit_events (docket_id, subject, id);

-- why: one index over everything members write, so `search` finds a word in a question, an answer or a note.
-- Each row's rowid encodes its source (id * 4 + 0 question, + 1 answer, + 2 note). Rows are indexed in
-- batches up to the high-water marks in search_progress, not inside each command's transaction:
-- an FTS5 insert writes about six pages, which would halve the rate of `ask` and `answer`.
CREATE VIRTUAL TABLE search_index USING fts5 (
  body,
  docket_id UNINDEXED,
  kind UNINDEXED,
  ref_id UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2',
  columnsize = 0
);

CREATE TABLE search_progress (
  kind    TEXT PRIMARY KEY CHECK (kind IN ('question', 'answer', 'note')),
  last_id INTEGER NOT NULL
) STRICT;
INSERT INTO search_progress (kind, last_id) VALUES ('question', 0), ('answer', 0), ('note', 0);

-- why: an edit of a question already indexed is rare; it updates its row at once (a row not yet indexed is picked up with its new text).
CREATE TRIGGER questions_search_update AFTER UPDATE OF text, addressee, tags ON questions
WHEN old.text IS NOT new.text OR old.addressee IS NOT new.addressee OR old.tags IS NOT new.tags BEGIN
  UPDATE search_index SET body = new.text || ' ' || coalesce(new.addressee, '') || ' ' || new.tags WHERE rowid = new.id * 4;
END;
