// Hash sets and their entries. A set is written in the state 'importing' batch by batch (an
// import of tens of millions of rows cannot be one transaction's worth of WAL), and becomes
// 'active' in one last transaction that also retires the set it replaces; a set left
// 'importing' by a crash is purged at the next import or open.
import type { HashSetKind, HashSetView } from '../../api/contract.js';
import type { Db } from '../database.js';
import { rowsReader } from '../rows-reader.js';
import { statement } from '../statements.js';


export type HashSetState = 'importing' | 'active' | 'replaced' | 'removed';

export type NewHashSet = {
  readonly name: string;
  readonly format: string;
  readonly version: string | null;
  readonly kind: HashSetKind;
  readonly scheme: string;
  readonly sourceFile: string;
  readonly sourceSha256: string;
  readonly sourceSize: number;
  readonly importedAt: string;
  readonly importedBy: string;
};

type SetRow = {
  id: number;
  name: string;
  format: string;
  version: string | null;
  kind: HashSetKind;
  scheme: string;
  source_file: string;
  source_sha256: string;
  entries: number;
  malformed: number;
  state: HashSetState;
  imported_at: string;
  imported_by: string;
};

const toView = (r: SetRow): HashSetView => ({
  id: r.id,
  name: r.name,
  format: r.format,
  version: r.version,
  kind: r.kind,
  scheme: r.scheme,
  entries: r.entries,
  malformed: r.malformed,
  sourceFile: r.source_file,
  sourceSha256: r.source_sha256,
  importedAt: r.imported_at,
  importedBy: r.imported_by,
});

const SET_SELECT = `SELECT id, name, format, version, kind, scheme, source_file, source_sha256, entries, malformed, state, imported_at, imported_by FROM hashsets`;

export function insertHashSet(db: Db, s: NewHashSet): number {
  return Number(
    statement(
      db,
      `INSERT INTO hashsets (name, format, version, kind, scheme, source_file, source_sha256, source_size, state, imported_at, imported_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'importing', ?, ?)`,
    ).run(s.name, s.format, s.version, s.kind, s.scheme, s.sourceFile, s.sourceSha256, s.sourceSize, s.importedAt, s.importedBy).lastInsertRowid,
  );
}

/** The driver binds Buffers as BLOBs; a chunk's views arrive as plain Uint8Arrays from the reader thread. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/**
 * Appends NSRL entries: `digests` holds each one's SHA-256, SHA-1 and MD5 packed (68 bytes,
 * zeros where absent), `rowsJson` a JSON array of [file_name, file_size, package_id] in UTF-8; SQLite
 * parses and inserts them in one statement. The rows of one INSERT take consecutive ids, in
 * array order: the first is returned. An integer package_id has its column, any other goes to
 * `extra` (migration 0070).
 */
export function insertRdsEntries(db: Db, hashsetId: number, digests: Uint8Array, rowsJson: Uint8Array): { readonly firstId: number; readonly count: number } {
  const { from, field, digest } = rowsReader(db);
  const [size, packageId] = [field(1), field(2)];
  const info = statement(
    db,
    `INSERT INTO hashset_entries (hashset_id, sha256, sha1, md5, file_name, file_size, package_id, extra)
     SELECT :set, ${digest(0)}, ${digest(1)}, ${digest(2)}, nullif(${field(0)}, ''),
            CASE WHEN typeof(${size}) = 'integer' AND ${size} >= 0 THEN ${size} END,
            CASE WHEN typeof(${packageId}) = 'integer' THEN ${packageId} END,
            CASE WHEN typeof(${packageId}) NOT IN ('integer', 'null') THEN json_object('package_id', ${packageId}) END
     FROM ${from} ORDER BY key`,
  ).run({ set: hashsetId, digests: asBuffer(digests), rows: asBuffer(rowsJson) });
  return { firstId: Number(info.lastInsertRowid) - info.changes + 1, count: info.changes };
}

/**
 * Appends entries packed by packEntries (matching/reader-thread/pack.ts): `digests` holds each
 * one's SHA-256, SHA-1 and MD5 (68 bytes, zeros where absent), `rowsJson` the other fields (UTF-8). One
 * statement, ids consecutive in array order: the first is returned.
 */
export function insertPackedEntries(db: Db, hashsetId: number, digests: Uint8Array, rowsJson: Uint8Array): { readonly firstId: number; readonly count: number } {
  const { from, field, json, digest } = rowsReader(db);
  const info = statement(
    db,
    `INSERT INTO hashset_entries (hashset_id, sha256, sha1, md5, pdq, pdq_quality, photodna, category, series, victim_identified, file_name, file_size, extra, blockhash)
     SELECT :set, ${digest(0)}, ${digest(1)}, ${digest(2)}, unhex(${field(0)}), ${[1, 2, 3, 4, 5, 6, 7].map(field).join(', ')}, ${json(8)}, unhex(${field(9)})
     FROM ${from} ORDER BY key`,
  ).run({ set: hashsetId, digests: asBuffer(digests), rows: asBuffer(rowsJson) });
  return { firstId: Number(info.lastInsertRowid) - info.changes + 1, count: info.changes };
}

export function findActiveSet(db: Db, name: string): HashSetView | undefined {
  const row = statement(db, `${SET_SELECT} WHERE name = ? AND state = 'active'`).get(name) as SetRow | undefined;
  return row && toView(row);
}

export function getHashSet(db: Db, id: number): HashSetView | undefined {
  const row = statement(db, `${SET_SELECT} WHERE id = ?`).get(id) as SetRow | undefined;
  return row && toView(row);
}

/** Makes an imported set active, retiring the active set of the same name if there is one. */
export function activateHashSet(
  db: Db,
  id: number,
  outcome: { entries: number; malformed: number; scheme: string; keyBits: number; keyRun: number; keyBase: number; sourceSha256: string },
  replaces: number | null,
  now: string,
): void {
  if (replaces !== null) statement(db, `UPDATE hashsets SET state = 'replaced', ended_at = ? WHERE id = ?`).run(now, replaces);
  statement(db, `UPDATE hashsets SET state = 'active', entries = ?, malformed = ?, scheme = ?, replaces = ?, key_bits = ?, key_run = ?, key_base = ?, source_sha256 = ? WHERE id = ?`).run(
    outcome.entries,
    outcome.malformed,
    outcome.scheme,
    replaces,
    outcome.keyBits,
    outcome.keyRun,
    outcome.keyBase,
    outcome.sourceSha256,
    id,
  );
}

export function markRemoved(db: Db, id: number, now: string): void {
  statement(db, `UPDATE hashsets SET state = 'removed', ended_at = ? WHERE id = ?`).run(now, id);
}

export function listActiveSets(db: Db): HashSetView[] {
  return (statement(db, `${SET_SELECT} WHERE state = 'active' ORDER BY name, id`).all() as SetRow[]).map(toView);
}

/** Sets left half-imported (a crash, a failed import), and retired sets nothing points at any more. */
export function purgeableSets(db: Db): number[] {
  return (
    statement(
      db,
      `SELECT id FROM hashsets WHERE state = 'importing'
         OR (state IN ('replaced', 'removed') AND NOT EXISTS (SELECT 1 FROM item_matches m WHERE m.hashset_id = hashsets.id)
             AND (EXISTS (SELECT 1 FROM hashset_entries e WHERE e.hashset_id = hashsets.id)
                  OR EXISTS (SELECT 1 FROM hashset_keys k WHERE k.hashset_id = hashsets.id)))`,
    ).all() as { id: number }[]
  ).map((r) => r.id);
}

/** Deletes up to `limit` entries of a set (in slices, so one purge never holds a huge transaction). */
export function deleteEntries(db: Db, hashsetId: number, limit: number): number {
  return statement(db, 'DELETE FROM hashset_entries WHERE id IN (SELECT id FROM hashset_entries WHERE hashset_id = ? LIMIT ?)').run(hashsetId, limit).changes;
}

/** A purged half-import leaves no row; a purged retired set keeps its row (custody names it). */
export function deleteImportingSet(db: Db, hashsetId: number): void {
  statement(db, `DELETE FROM hashsets WHERE id = ? AND state = 'importing'`).run(hashsetId);
}

export type PerceptualMethod = 'pdq' | 'blockhash';

/** A perceptual hash of an entry; quality is PDQ's (blockhash has none). */
export type PerceptualEntry = { readonly id: number; readonly code: Buffer; readonly quality: number | null };

const PERCEPTUAL_PAGE: Record<PerceptualMethod, string> = {
  pdq: `SELECT id, pdq AS code, pdq_quality AS quality FROM hashset_entries INDEXED BY hashset_entries_pdq
        WHERE hashset_id = ? AND pdq IS NOT NULL AND id > ? ORDER BY id LIMIT ?`,
  blockhash: `SELECT id, blockhash AS code, NULL AS quality FROM hashset_entries INDEXED BY hashset_entries_blockhash
              WHERE hashset_id = ? AND blockhash IS NOT NULL AND id > ? ORDER BY id LIMIT ?`,
};

/** A set's PDQ or blockhash entries in id order, a page at a time, through the partial index on them. */
export function perceptualEntries(db: Db, method: PerceptualMethod, hashsetId: number, afterId: number, limit: number): PerceptualEntry[] {
  return statement(db, PERCEPTUAL_PAGE[method]).all(hashsetId, afterId, limit) as PerceptualEntry[];
}

export type EntryInfo = { readonly id: number; readonly hashsetId: number; readonly category: number | null };

const DIGEST_COLUMN = { md5: 'md5', sha1: 'sha1', sha256: 'sha256' } as const;

/** Entries with one of their digests, by id in id order (a key lookup confirms the digest its key is the prefix of). */
export function entriesWithDigest(db: Db, method: keyof typeof DIGEST_COLUMN, ids: readonly number[]): (EntryInfo & { readonly digest: Buffer | null })[] {
  return statement(
    db,
    `SELECT id, hashset_id AS hashsetId, category, ${DIGEST_COLUMN[method]} AS digest FROM hashset_entries WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(JSON.stringify(ids)) as (EntryInfo & { digest: Buffer | null })[];
}

export function entryInfo(db: Db, ids: readonly number[]): EntryInfo[] {
  return statement(
    db,
    'SELECT id, hashset_id AS hashsetId, category FROM hashset_entries WHERE id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(ids)) as EntryInfo[];
}

/** A number that changes whenever the active sets do: the in-memory index is rebuilt when it moves. */
export function activeSetsGeneration(db: Db): string {
  const row = statement(db, `SELECT group_concat(id) AS ids FROM (SELECT id FROM hashsets WHERE state = 'active' ORDER BY id)`).get() as { ids: string | null };
  return row.ids ?? '';
}

export type EntryDetail = {
  readonly id: number;
  readonly hashset: string;
  readonly hashsetScheme: string;
  readonly kind: HashSetKind;
  readonly md5: Buffer | null;
  readonly sha1: Buffer | null;
  readonly sha256: Buffer | null;
  readonly pdq: Buffer | null;
  readonly blockhash: Buffer | null;
  readonly category: number | null;
  readonly series: string | null;
  readonly victimIdentified: number | null;
  readonly photodna: string | null;
  readonly fileName: string | null;
};

export function entryDetails(db: Db, ids: readonly number[]): EntryDetail[] {
  return statement(
    db,
    `SELECT e.id, h.name AS hashset, h.scheme AS hashsetScheme, h.kind, e.md5, e.sha1, e.sha256, e.pdq, e.blockhash, e.category, e.series,
            e.victim_identified AS victimIdentified, e.photodna, e.file_name AS fileName
     FROM hashset_entries e JOIN hashsets h ON h.id = e.hashset_id WHERE e.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as EntryDetail[];
}
