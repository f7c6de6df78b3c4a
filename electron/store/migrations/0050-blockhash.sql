-- Blockhash matching, which a case turns on: hash-set entries may carry a 256-bit blockhash (the
-- unit's own lists, CSV exports of tools that compute it), loaded like PDQ into an in-memory
-- Hamming index; a case matches against them only where it sets a threshold.

ALTER TABLE hashset_entries ADD COLUMN blockhash BLOB CHECK (blockhash IS NULL OR length(blockhash) = 32);
CREATE INDEX hashset_entries_blockhash ON hashset_entries (hashset_id) WHERE blockhash IS NOT NULL;

-- NULL: blockhash matching off (the default: PDQ is the perceptual match of record).
ALTER TABLE cases ADD COLUMN blockhash_threshold INTEGER CHECK (blockhash_threshold BETWEEN 0 AND 128);
