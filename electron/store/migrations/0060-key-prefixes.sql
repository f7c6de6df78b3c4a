-- Key buckets hold each digest's first 8 bytes (the entry's row holds the whole digest, which a
-- lookup confirms) and each entry id as 4 bytes counted from key_base, the set's first entry id:
-- a third of the bytes an import wrote for them. Buckets in the old layout are dropped; the keys
-- of active sets are built again from their entries when the store next opens
-- (matching/hashset-keys.ts buildMissingKeys).
ALTER TABLE hashsets ADD COLUMN key_base INTEGER;
DELETE FROM hashset_keys;
UPDATE hashsets SET key_bits = NULL, key_run = NULL;
