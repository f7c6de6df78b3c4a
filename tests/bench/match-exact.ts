// bench:match (exact): MD5 lookups per second through the store's exact-match query
// (exactHits, as the matcher calls it per item) against one active set of N random MD5s in a
// fresh store (createStore: SQLCipher, WAL, the real migrations), half the lookups hits and half
// misses. The set is written through insertEntries in transactions of 100 000 rows, in key order:
// in random order the rate collapses as the indexes outgrow SQLite's page cache (which the store
// leaves at its 2 MB default): 10 M would take far more than this part may. What random order costs is
// measured after the lookups: more random entries inserted into the full store, as the store
// opens it and again with a larger page cache set on the connection (a diagnostic, not the store's
// setting).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../electron/store/database.js';
import { activateHashSet, exactHits, insertEntries, insertHashSet, type EntryRow } from '../../electron/store/repositories/hashsets.js';
import { closeStore, createStore } from '../../electron/store/store.js';
import { Rng } from './match-codes.js';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const TRANSACTION_ROWS = 100_000;
/** The page cache of the diagnostic run, in KiB (SQLite's negative cache_size). */
const DIAGNOSTIC_CACHE_KIB = 262_144;

export type ExactResult = {
  readonly entries: number;
  readonly insertSeconds: number;
  /** Rows per second over each successive tenth of the insert. */
  readonly insertRates: readonly number[];
  readonly lookups: number;
  readonly lookupSeconds: number;
  readonly hits: number;
  readonly dbBytes: number;
  /** Random-order inserts into the full store: rows, and rows/s with the store's page cache and with the diagnostic one. */
  readonly randomRows: number;
  readonly randomRate: number;
  readonly randomRateBigCache: number;
};

function md5Row(md5: Buffer): EntryRow {
  return {
    dedup: md5,
    md5,
    sha1: null,
    sha256: null,
    pdq: null,
    pdqQuality: null,
    photoDna: null,
    category: null,
    series: null,
    victimIdentified: null,
    fileName: null,
    fileSize: null,
    extra: null,
  };
}

/** The order of the digests by their first 5 bytes (ties, a few dozen in 10 M, by position): near enough to key order. */
function keyOrder(md5s: Buffer, count: number): Uint32Array {
  const keys = new BigUint64Array(count);
  for (let i = 0; i < count; i++) keys[i] = (BigInt(md5s.readUIntBE(16 * i, 5)) << 24n) | BigInt(i);
  keys.sort();
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = Number((keys[i] ?? 0n) & 0xffffffn);
  return order;
}

/** Inserts `count` digests (the i-th at md5s[16 * at(i)]) in transactions of TRANSACTION_ROWS; rows/s by tenths. */
function insertAll(db: Db, setId: number, md5s: Buffer, count: number, at: (i: number) => number, progress: boolean): { stored: number; rates: number[] } {
  const rates: number[] = [];
  const tenth = Math.max(TRANSACTION_ROWS, Math.ceil(count / 10 / TRANSACTION_ROWS) * TRANSACTION_ROWS);
  let tTenth = process.hrtime.bigint();
  let stored = 0;
  for (let first = 0; first < count; first += TRANSACTION_ROWS) {
    const rows: EntryRow[] = [];
    for (let i = first; i < Math.min(count, first + TRANSACTION_ROWS); i++) rows.push(md5Row(md5s.subarray(16 * at(i), 16 * at(i) + 16)));
    stored += db.transaction(() => insertEntries(db, setId, rows))();
    const done = first + rows.length;
    if (done % tenth === 0 || done === count) {
      rates.push((done % tenth === 0 ? tenth : done % tenth) / seconds(tTenth));
      tTenth = process.hrtime.bigint();
      if (progress) process.stderr.write(`  inserted ${done}/${count} (${rates.at(-1)?.toFixed(0)} rows/s lately)\n`);
    }
  }
  return { stored, rates };
}

export async function exactBench(o: { readonly entries: number; readonly lookups: number; readonly randomInserts: number }): Promise<ExactResult> {
  console.log(`\n(exact) MD5 lookups through the store (exactHits) against ${o.entries} entries`);
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-store-'));
  try {
    const store = await createStore(dir, 'bench', 'bench passphrase, not secret', () => undefined);
    try {
      const db = store.db;
      const md5s = Buffer.from(new Rng(5).bytes(o.entries * 16).buffer, 0, o.entries * 16);
      const now = new Date().toISOString();
      const setId = db.transaction(() =>
        insertHashSet(db, {
          name: 'bench-md5',
          format: 'md5',
          version: null,
          kind: 'alert',
          scheme: 'none',
          sourceFile: 'generated',
          sourceSha256: '0'.repeat(64),
          sourceSize: 0,
          importedAt: now,
          importedBy: 'bench',
        }),
      )();

      const order = keyOrder(md5s, o.entries);
      const t0 = process.hrtime.bigint();
      const { stored, rates } = insertAll(db, setId, md5s, o.entries, (i) => order[i] ?? 0, true);
      db.transaction(() => activateHashSet(db, setId, { entries: stored, malformed: 0, scheme: 'none' }, null, now))();
      const insertSeconds = seconds(t0);
      if (stored !== o.entries) throw new Error(`stored ${stored} of ${o.entries} entries`);

      // Half hits (entries picked at random), half misses (fresh random digests), interleaved.
      const rng = new Rng(6);
      const misses = Buffer.from(rng.bytes(Math.ceil(o.lookups / 2) * 16 + 16).buffer);
      const digests: Buffer[] = [];
      for (let k = 0; k < o.lookups; k++) {
        if (k % 2 === 0) {
          const i = rng.below(o.entries);
          digests.push(md5s.subarray(16 * i, 16 * i + 16));
        } else digests.push(misses.subarray(8 * (k - 1), 8 * (k - 1) + 16));
      }
      for (const d of digests.slice(0, 1000)) exactHits(db, 'md5', d); // warm the statement and the top of the index
      const t1 = process.hrtime.bigint();
      let hits = 0;
      for (const d of digests) hits += exactHits(db, 'md5', d).length;
      const lookupSeconds = seconds(t1);
      const dbBytes = Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));

      // Random order into the full store: as opened, then with a larger page cache on the connection.
      const randomRows = o.randomInserts;
      const fresh = Buffer.from(new Rng(7).bytes(2 * randomRows * 16).buffer, 0, 2 * randomRows * 16);
      let t2 = process.hrtime.bigint();
      insertAll(db, setId, fresh, randomRows, (i) => i, false);
      const randomRate = randomRows / seconds(t2);
      db.pragma(`cache_size = -${DIAGNOSTIC_CACHE_KIB}`);
      t2 = process.hrtime.bigint();
      insertAll(db, setId, fresh, randomRows, (i) => randomRows + i, false);
      const randomRateBigCache = randomRows / seconds(t2);

      const result = { entries: o.entries, insertSeconds, insertRates: rates, lookups: o.lookups, lookupSeconds, hits, dbBytes, randomRows, randomRate, randomRateBigCache };
      print(result);
      return result;
    } finally {
      closeStore(store);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(r: ExactResult): void {
  const expectedHits = Math.ceil(r.lookups / 2);
  console.log(
    `  insert in key order: ${r.entries} entries in ${r.insertSeconds.toFixed(1)} s = ${(r.entries / r.insertSeconds).toFixed(0)} rows/s (${TRANSACTION_ROWS} per transaction; by tenths: ${r.insertRates.map((x) => x.toFixed(0)).join(', ')}); database ${(r.dbBytes / 1e6).toFixed(0)} MB`,
  );
  console.log(
    `  lookups: ${r.lookups} (half hits, random) in ${r.lookupSeconds.toFixed(2)} s = ${(r.lookups / r.lookupSeconds).toFixed(0)} lookups/s, ${((1e6 * r.lookupSeconds) / r.lookups).toFixed(1)} us each; ${r.hits} hits (expected ${expectedHits})${r.hits === expectedHits ? '' : '  MISMATCH'}`,
  );
  console.log(
    `  insert in random order into the full store, ${r.randomRows} more: ${r.randomRate.toFixed(0)} rows/s as the store opens it (2 MB page cache); ${r.randomRateBigCache.toFixed(0)} rows/s with cache_size = -${DIAGNOSTIC_CACHE_KIB} (256 MiB) on the connection (diagnostic)`,
  );
}
