-- Hash sets load in bulk. Entries are appended in arrival order with no index on their hashes
-- (random B-tree inserts held imports near 10 000 entries/s); exact lookups go through
-- hashset_keys instead: per set and method, every key with its entry id, sorted, cut into buckets
-- by the key's leading bits, one row per bucket, written in key order.

CREATE TABLE hashset_entries_next (
  id                INTEGER PRIMARY KEY,
  hashset_id        INTEGER NOT NULL REFERENCES hashsets (id),
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
  extra             TEXT             -- JSON: the other fields of the source record
) STRICT;

INSERT INTO hashset_entries_next (id, hashset_id, md5, sha1, sha256, pdq, pdq_quality, photodna, category, series, victim_identified, file_name, file_size, extra)
  SELECT id, hashset_id, md5, sha1, sha256, pdq, pdq_quality, photodna, category, series, victim_identified, file_name, file_size, extra FROM hashset_entries;
DROP TABLE hashset_entries;
ALTER TABLE hashset_entries_next RENAME TO hashset_entries;

CREATE INDEX hashset_entries_set ON hashset_entries (hashset_id);
CREATE INDEX hashset_entries_pdq ON hashset_entries (hashset_id) WHERE pdq IS NOT NULL;

CREATE TABLE hashset_keys (
  id         INTEGER PRIMARY KEY,
  hashset_id INTEGER NOT NULL REFERENCES hashsets (id),
  method     TEXT NOT NULL CHECK (method IN ('md5', 'sha1', 'sha256', 'identity')),
  -- An import writes a run per memory-load of entries; a lookup reads the bucket of every run
  -- from hashsets.key_run on, so a set of many runs is merged into one. 'identity' keys (an
  -- entry's hashes and category) only live during the import, to find duplicates.
  run        INTEGER NOT NULL,
  bucket     INTEGER NOT NULL,   -- the keys' leading hashsets.key_bits bits
  keys       BLOB NOT NULL,      -- sorted, fixed width, concatenated
  entries    BLOB NOT NULL,      -- the entry id of each key: float64, little-endian
  UNIQUE (hashset_id, method, bucket, run)
) STRICT;

-- key_bits / key_run: how a set's keys are bucketed, and its first run a lookup reads. NULL for sets imported before this layout:
-- their keys are built from their entries when the store next opens.
ALTER TABLE hashsets ADD COLUMN key_bits INTEGER CHECK (key_bits BETWEEN 0 AND 24);
ALTER TABLE hashsets ADD COLUMN key_run INTEGER;
