-- Foundation: users and roles, settings, cases, exhibits and the append-only custody log.
-- Key slots live in keyring.json; a user row decides whether an unlocked slot may be used.

CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('investigator', 'supervisor', 'admin')),
  disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE cases (
  id         INTEGER PRIMARY KEY,
  number     TEXT NOT NULL UNIQUE,
  title      TEXT NOT NULL,
  scheme     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

CREATE TABLE exhibits (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  number      TEXT NOT NULL,
  description TEXT NOT NULL,
  seized_by   TEXT,
  seized_at   TEXT,
  seized_from TEXT,
  seal        TEXT,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  UNIQUE (case_id, number)
) STRICT;

CREATE TABLE custody_events (
  seq     INTEGER PRIMARY KEY,
  time    TEXT NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  subject TEXT NOT NULL,
  details TEXT NOT NULL, -- RFC 8785 canonical JSON of the details object
  prev    TEXT NOT NULL,
  hash    TEXT NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER custody_events_append_only_update BEFORE UPDATE ON custody_events
BEGIN
  SELECT RAISE(ABORT, 'custody log is append-only');
END;

CREATE TRIGGER custody_events_append_only_delete BEFORE DELETE ON custody_events
BEGIN
  SELECT RAISE(ABORT, 'custody log is append-only');
END;
