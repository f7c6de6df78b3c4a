-- Evidence intake: ingest jobs, their sources, one item per file found, and thumbnails.
-- Digests and perceptual hashes are BLOBs (half the size of hex, indexable for matching).

CREATE TABLE ingest_jobs (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  exhibit_id  INTEGER NOT NULL REFERENCES exhibits (id),
  sources_key TEXT NOT NULL,   -- SHA-256 of the sorted source paths: the same command resumes the same job
  state       TEXT NOT NULL CHECK (state IN ('running', 'stopped', 'done')),
  started_at  TEXT NOT NULL,
  started_by  TEXT NOT NULL,
  finished_at TEXT,
  active_ms   INTEGER NOT NULL DEFAULT 0  -- time spent working, summed over resumes
) STRICT;

CREATE INDEX ingest_jobs_resume ON ingest_jobs (exhibit_id, sources_key, state);

CREATE TABLE sources (
  id         INTEGER PRIMARY KEY,
  exhibit_id INTEGER NOT NULL REFERENCES exhibits (id),
  path       TEXT NOT NULL,   -- absolute, as given
  kind       TEXT NOT NULL CHECK (kind IN ('folder', 'file')),
  size       INTEGER,         -- the file, or the sum of the regular files of a folder once walked
  mtime      TEXT,
  ctime      TEXT,
  atime      TEXT,
  birthtime  TEXT,
  walked     INTEGER NOT NULL DEFAULT 0 CHECK (walked IN (0, 1)),
  files      INTEGER NOT NULL DEFAULT 0,
  symlinks   INTEGER NOT NULL DEFAULT 0,
  specials   INTEGER NOT NULL DEFAULT 0,
  errors     INTEGER NOT NULL DEFAULT 0,
  UNIQUE (exhibit_id, path)
) STRICT;

-- Which sources a job covers (a source seen by an earlier job keeps its first-seen row).
CREATE TABLE ingest_job_sources (
  job_id    INTEGER NOT NULL REFERENCES ingest_jobs (id),
  source_id INTEGER NOT NULL REFERENCES sources (id),
  PRIMARY KEY (job_id, source_id)
) STRICT;

CREATE TABLE items (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases (id),
  exhibit_id         INTEGER NOT NULL REFERENCES exhibits (id),
  source_id          INTEGER NOT NULL REFERENCES sources (id),
  parent_id          INTEGER REFERENCES items (id),  -- the archive an entry came from
  path               TEXT NOT NULL,                  -- display path: 'DCIM/a.jpg', 'x.zip!/in.zip!/b.png'
  locator            TEXT NOT NULL,                  -- JSON: how a worker opens the bytes
  kind               TEXT NOT NULL CHECK (kind IN ('file', 'symlink', 'encrypted', 'refused', 'unreadable')),
  size               INTEGER,
  mtime              TEXT,
  ctime              TEXT,
  atime              TEXT,
  birthtime          TEXT,
  link_target        TEXT,
  analysis           TEXT NOT NULL DEFAULT 'pending' CHECK (analysis IN ('pending', 'done', 'error', 'skipped')),
  mime               TEXT,
  extension_mismatch INTEGER CHECK (extension_mismatch IN (0, 1)),
  md5                BLOB,
  sha1               BLOB,
  sha256             BLOB,
  pdq                BLOB,
  pdq_quality        INTEGER,
  blockhash          BLOB,
  width              INTEGER,
  height             INTEGER,
  exif               TEXT,  -- JSON
  error              TEXT,
  atime_kept         INTEGER CHECK (atime_kept IN (0, 1)),  -- 0: read without O_NOATIME, its atime may have moved
  status             TEXT NOT NULL DEFAULT 'unreviewed' CHECK (status IN ('known', 'ignorable', 'unreviewed', 'reviewed')),
  category           TEXT,
  UNIQUE (source_id, path)
) STRICT;

CREATE INDEX items_case ON items (case_id, id);
CREATE INDEX items_pending ON items (source_id, id) WHERE analysis = 'pending';
CREATE INDEX items_md5 ON items (md5);
CREATE INDEX items_sha1 ON items (sha1);
CREATE INDEX items_sha256 ON items (sha256);

CREATE TABLE thumbnails (
  item_id INTEGER PRIMARY KEY REFERENCES items (id),
  webp    BLOB NOT NULL,
  width   INTEGER NOT NULL,
  height  INTEGER NOT NULL
) STRICT;
