// bench:match (exact): MD5 lookups per second through the store's exact-match path (exactHits,
// as the matcher calls it per item) against one active set of N random MD5s in a fresh store
// (createStore: SQLCipher, WAL, the real migrations), half the lookups hits and half misses. The
// set is written the way an import writes one: entries packed (packEntries) and appended in
// random order through insertPackedEntries, their keys gathered by HashSetKeyWriter, written as
// sorted runs and merged (no identities: the set has no duplicates to find).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exactHits, HashSetKeyWriter } from '../../electron/matching/hashset-keys.js';
import { entryOf, type ImportedEntry } from '../../electron/matching/importers/types.js';
import { packEntries } from '../../electron/matching/reader-thread/pack.js';
import { activateHashSet, insertPackedEntries } from '../../electron/store/repositories/hashsets.js';
import { closeStore, createStore } from '../../electron/store/store.js';
import { insertGeneratedSet } from '../fixtures/hashset-store.js';
import { Rng } from './match-codes.js';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const TRANSACTION_ROWS = 20_000;

export type ExactResult = {
  readonly entries: number;
  readonly insertSeconds: number;
  /** Of insertSeconds, the keys' runs and their merge. */
  readonly keySeconds: number;
  readonly keyBits: number;
  readonly lookups: number;
  readonly lookupSeconds: number;
  readonly hits: number;
  readonly dbBytes: number;
};

export async function exactBench(o: { readonly entries: number; readonly lookups: number }): Promise<ExactResult> {
  console.log(`\n(exact) MD5 lookups through the store (exactHits) against ${o.entries} entries`);
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-store-'));
  try {
    const store = await createStore(dir, 'bench', 'bench passphrase, not secret', () => undefined);
    try {
      const db = store.db;
      const md5s = Buffer.from(new Rng(5).bytes(o.entries * 16).buffer, 0, o.entries * 16);
      const now = new Date().toISOString();
      const setId = insertGeneratedSet(db, { name: 'bench-md5', format: 'md5', importedBy: 'bench', importedAt: now });

      const t0 = process.hrtime.bigint();
      const keys = new HashSetKeyWriter(db, setId);
      let keyNs = 0n;
      for (let first = 0; first < o.entries; first += TRANSACTION_ROWS) {
        const rows: ImportedEntry[] = [];
        for (let i = first; i < Math.min(o.entries, first + TRANSACTION_ROWS); i++) rows.push(entryOf({ md5: md5s.subarray(16 * i, 16 * i + 16) }));
        const packed = packEntries(rows);
        const digests = Buffer.from(packed.digests.buffer, packed.digests.byteOffset, packed.digests.byteLength);
        const { firstId } = db.transaction(() => insertPackedEntries(db, setId, digests, packed.rows))();
        const tk = process.hrtime.bigint();
        keys.addPacked(firstId, rows.length, digests);
        if (keys.full) keys.flushRun();
        keyNs += process.hrtime.bigint() - tk;
        if ((first / TRANSACTION_ROWS) % 50 === 49) process.stderr.write(`  stored ${first + rows.length}/${o.entries}\n`);
      }
      const tk = process.hrtime.bigint();
      const layout = keys.finish();
      keyNs += process.hrtime.bigint() - tk;
      db.transaction(() => activateHashSet(db, setId, { entries: layout.distinct, malformed: 0, scheme: 'none', keyBits: layout.keyBits, keyRun: layout.keyRun, keyBase: layout.keyBase, sourceSha256: '0'.repeat(64) }, null, now))();
      const insertSeconds = seconds(t0);
      if (layout.distinct !== o.entries) throw new Error(`stored ${layout.distinct} of ${o.entries} entries`);

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

      const result = { entries: o.entries, insertSeconds, keySeconds: Number(keyNs) / 1e9, keyBits: layout.keyBits, lookups: o.lookups, lookupSeconds, hits, dbBytes };
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
    `  store: ${r.entries} entries in random order in ${r.insertSeconds.toFixed(1)} s = ${(r.entries / r.insertSeconds).toFixed(0)} entries/s, of which the key runs and merge ${r.keySeconds.toFixed(1)} s; ${2 ** r.keyBits} buckets; database ${(r.dbBytes / 1e6).toFixed(0)} MB`,
  );
  console.log(
    `  lookups: ${r.lookups} (half hits, random) in ${r.lookupSeconds.toFixed(2)} s = ${(r.lookups / r.lookupSeconds).toFixed(0)} lookups/s, ${((1e6 * r.lookupSeconds) / r.lookups).toFixed(1)} us each; ${r.hits} hits (expected ${expectedHits})${r.hits === expectedHits ? '' : '  MISMATCH'}`,
  );
}
