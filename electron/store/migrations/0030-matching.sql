-- Hash sets of known material, their entries, and what items matched. Hashes are BLOBs (raw
-- bytes), indexed for exact lookup; PDQ entries are loaded into the in-memory Hamming index.

CREATE TABLE hashsets (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  format        TEXT NOT NULL,
  version       TEXT,            -- of the format or the release: 'VICS 2.0', 'RDSv3', ...
  kind          TEXT NOT NULL CHECK (kind IN ('alert', 'ignorable')),
  scheme        TEXT NOT NULL,   -- the category scheme its categories are in ('none' when it has none)
  source_file   TEXT NOT NULL,   -- file name as imported
  source_sha256 TEXT NOT NULL,
  source_size   INTEGER NOT NULL,
  entries       INTEGER NOT NULL DEFAULT 0,  -- distinct entries stored
  malformed     INTEGER NOT NULL DEFAULT 0,
  -- importing: rows still arriving (a crash leaves it to be purged); active: matched against;
  -- replaced / removed: kept while matches made with it still point at its entries.
  state         TEXT NOT NULL CHECK (state IN ('importing', 'active', 'replaced', 'removed')),
  imported_at   TEXT NOT NULL,
  imported_by   TEXT NOT NULL,
  replaces      INTEGER REFERENCES hashsets (id),
  ended_at      TEXT
) STRICT;

CREATE UNIQUE INDEX hashsets_active_name ON hashsets (name) WHERE state = 'active';

CREATE TABLE hashset_entries (
  id                INTEGER PRIMARY KEY,
  hashset_id        INTEGER NOT NULL REFERENCES hashsets (id),
  dedup             BLOB NOT NULL,   -- 16 bytes identifying the entry's hashes and fields within its set
  md5               BLOB,
  sha1              BLOB,
  sha256            BLOB,
  pdq               BLOB,
  pdq_quality       INTEGER,
  photodna          TEXT,            -- opaque: licensed, stored and shown, never computed
  category          INTEGER,         -- the set's own code; NULL (uncategorised) is not 0
  series            TEXT,
  victim_identified INTEGER CHECK (victim_identified IN (0, 1)),
  file_name         TEXT,
  file_size         INTEGER,
  extra             TEXT,            -- JSON: the other fields of the source record
  UNIQUE (hashset_id, dedup)
) STRICT;

CREATE INDEX hashset_entries_md5 ON hashset_entries (md5) WHERE md5 IS NOT NULL;
CREATE INDEX hashset_entries_sha1 ON hashset_entries (sha1) WHERE sha1 IS NOT NULL;
CREATE INDEX hashset_entries_sha256 ON hashset_entries (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX hashset_entries_pdq ON hashset_entries (hashset_id) WHERE pdq IS NOT NULL;

CREATE TABLE item_matches (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES items (id),
  hashset_id  INTEGER NOT NULL REFERENCES hashsets (id),
  entry_id    INTEGER NOT NULL REFERENCES hashset_entries (id),
  method      TEXT NOT NULL CHECK (method IN ('md5', 'sha1', 'sha256', 'pdq', 'blockhash')),
  distance    INTEGER NOT NULL,
  orientation TEXT,    -- for PDQ: which of the item's 8 dihedral variants matched
  category    TEXT,    -- the entry's category carried into the case's scheme (NULL: none, or no single mapping)
  UNIQUE (item_id, entry_id, method)
) STRICT;

CREATE INDEX item_matches_item ON item_matches (item_id);
CREATE INDEX item_matches_hashset ON item_matches (hashset_id);

-- The 8 dihedral PDQ hashes of an image (original first, 8 x 32 bytes): matching tries them all.
ALTER TABLE items ADD COLUMN pdq_variants BLOB;

CREATE INDEX items_case_status ON items (case_id, status);

-- Per case: the PDQ distance at or below which an item matches.
ALTER TABLE cases ADD COLUMN pdq_threshold INTEGER NOT NULL DEFAULT 31 CHECK (pdq_threshold BETWEEN 0 AND 128);
