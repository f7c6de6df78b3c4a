// The key buckets of hash sets (migration 0040): per set, method and run, one row per bucket of
// sorted keys. Written in key order, read back a bucket at a time (lookups) or a bucket range at
// a time (the merge at the end of an import).
import type { Db } from '../database.js';
import { rowsReader } from '../rows-reader.js';
import { statement } from '../statements.js';

export type KeyMethod = 'md5' | 'sha1' | 'sha256' | 'identity';

export type KeyBucket = { readonly bucket: number; readonly keys: Buffer; readonly entries: Buffer };

/**
 * Inserts one method's bucket rows of a run in one statement: `buckets` is [bucket, first, end]
 * per row, cutting the sorted `keys` (`width` bytes each) and their `entries` (4 bytes each).
 */
export function insertKeyBuckets(db: Db, hashsetId: number, method: KeyMethod, run: number, width: number, keys: Buffer, entries: Buffer, buckets: Uint32Array): void {
  const { from, field } = rowsReader(db);
  const [bucket, first, end] = [field(0), field(1), field(2)];
  const rows = `[${Array.from({ length: buckets.length / 3 }, (_, i) => `[${buckets.subarray(i * 3, i * 3 + 3).join(',')}]`).join(',')}]`;
  statement(
    db,
    `INSERT INTO hashset_keys (hashset_id, method, run, bucket, keys, entries)
     SELECT :set, :method, :run, ${bucket}, substr(:keys, ${first} * :width + 1, (${end} - ${first}) * :width), substr(:entries, ${first} * 4 + 1, (${end} - ${first}) * 4)
     FROM ${from}`,
  ).run({ set: hashsetId, method, run, width, keys, entries, rows, ...(from.includes(':digests') ? { digests: null } : {}) });
}

/** The buckets `from`..`to` of the runs below `belowRun`, by bucket then run. */
export function keyBuckets(db: Db, hashsetId: number, method: KeyMethod, belowRun: number, from: number, to: number): KeyBucket[] {
  return statement(
    db,
    'SELECT bucket, keys, entries FROM hashset_keys WHERE hashset_id = ? AND method = ? AND bucket BETWEEN ? AND ? AND run < ? ORDER BY bucket, run',
  ).all(hashsetId, method, from, to, belowRun) as KeyBucket[];
}

/** Deletes the runs below `belowRun` of a set (all methods), or every key row of the set. */
export function deleteKeyRuns(db: Db, hashsetId: number, belowRun = Number.MAX_SAFE_INTEGER): number {
  return statement(db, 'DELETE FROM hashset_keys WHERE hashset_id = ? AND run < ?').run(hashsetId, belowRun).changes;
}

export function deleteKeyMethod(db: Db, hashsetId: number, method: KeyMethod): void {
  statement(db, 'DELETE FROM hashset_keys WHERE hashset_id = ? AND method = ?').run(hashsetId, method);
}

/** A bucket row of an active set: its entries are uint32 offsets from the set's keyBase. */
export type ActiveBucket = { readonly hashsetId: number; readonly keyBase: number; readonly keys: Buffer; readonly entries: Buffer };

/**
 * The buckets that would hold a digest in each active set, one per run from the set's key_run
 * on: `top24` is the digest's first three bytes as an integer, each set cuts it to its key_bits.
 */
export function activeBucketsFor(db: Db, method: Exclude<KeyMethod, 'identity'>, top24: number): ActiveBucket[] {
  return statement(
    db,
    `SELECT h.id AS hashsetId, coalesce(h.key_base, 0) AS keyBase, k.keys, k.entries FROM hashsets h
     JOIN hashset_keys k ON k.hashset_id = h.id AND k.method = ? AND k.bucket = (? >> (24 - h.key_bits)) AND k.run >= h.key_run
     WHERE h.state = 'active' AND h.key_bits IS NOT NULL`,
  ).all(method, top24) as ActiveBucket[];
}

/** Active sets imported before key buckets existed (their keys are built from their entries; retired sets are never matched). */
export function setsWithoutKeys(db: Db): number[] {
  return (statement(db, `SELECT id FROM hashsets WHERE key_bits IS NULL AND state = 'active' ORDER BY id`).all() as { id: number }[]).map((r) => r.id);
}

export function setKeyLayout(db: Db, hashsetId: number, layout: { readonly keyBits: number; readonly keyRun: number; readonly keyBase: number }): void {
  statement(db, 'UPDATE hashsets SET key_bits = ?, key_run = ?, key_base = ? WHERE id = ?').run(layout.keyBits, layout.keyRun, layout.keyBase, hashsetId);
}

export type EntryDigests = { readonly id: number; readonly md5: Buffer | null; readonly sha1: Buffer | null; readonly sha256: Buffer | null };

/** A set's entries' digests in id order, a page at a time (to build keys for a set that has none). */
export function entryDigests(db: Db, hashsetId: number, afterId: number, limit: number): EntryDigests[] {
  return statement(db, 'SELECT id, md5, sha1, sha256 FROM hashset_entries WHERE hashset_id = ? AND id > ? ORDER BY id LIMIT ?').all(
    hashsetId,
    afterId,
    limit,
  ) as EntryDigests[];
}

export function deleteEntriesById(db: Db, ids: readonly number[]): number {
  return statement(db, 'DELETE FROM hashset_entries WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids)).changes;
}
