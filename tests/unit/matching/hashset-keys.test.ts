// The exact-lookup structure of hash sets: keys sorted into bucket rows, written as runs and
// merged; duplicates found by identity; the RDSv3 bulk path; sets from before the layout.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashSetImportRun } from '../../../electron/matching/hashset-import.js';
import { buildMissingKeys, exactHits, HashSetKeyWriter } from '../../../electron/matching/hashset-keys.js';
import { KeyRunBuilder, RUN_BITS, type PreparedRun } from '../../../electron/matching/key-runs.js';
import { gatherKeys, keyKernels, recordKeys, sortKeys } from '../../../electron/matching/key-sort.js';
import type { Db } from '../../../electron/store/database.js';
import { activateHashSet, insertPackedEntries, insertRdsEntries } from '../../../electron/store/repositories/hashsets.js';
import { entryOf, type ImportedEntry } from '../../../electron/matching/importers/types.js';
import { packEntries } from '../../../electron/matching/reader-thread/pack.js';
import { ENTRY_STRIDE } from '../../../electron/matching/reader-thread/protocol.js';
import { closeStore, createStore, type OpenStore } from '../../../electron/store/store.js';
import { PK_FILE_TABLE, rdsRows, writeVics2MediaFile } from '../../fixtures/hashset-files.js';
import { insertGeneratedSet } from '../../fixtures/hashset-store.js';

const dir = mkdtempSync(join(tmpdir(), 'custos-keys-'));
let store: OpenStore;
let db: Db;
beforeAll(async () => {
  store = await createStore(join(dir, 'store'), 'alice', 'correct horse battery staple', () => undefined);
  db = store.db;
});
afterAll(() => {
  closeStore(store);
  rmSync(dir, { recursive: true, force: true });
});

const row = (md5: Buffer | null, sha1: Buffer | null = null, sha256: Buffer | null = null, category: number | null = null): ImportedEntry =>
  entryOf({ md5, sha1, sha256, category });

let sets = 0;
function newSet(): number {
  return insertGeneratedSet(db, { name: `set ${++sets}`, format: 'md5', importedBy: 'test' });
}

/** Stores `rows` as an import does (packed, `runEntries` per run); returns the set, its entry ids and the key layout. */
function store_(rows: readonly ImportedEntry[], runEntries: number, identitiesInMemory?: number) {
  const setId = newSet();
  const writer = new HashSetKeyWriter(db, setId, runEntries, identitiesInMemory);
  const packed = packEntries(rows);
  const digests = Buffer.from(packed.digests.buffer, packed.digests.byteOffset, packed.digests.byteLength);
  const { firstId } = db.transaction(() => insertPackedEntries(db, setId, digests, packed.rows))();
  for (let at = 0; at < rows.length; at += runEntries) {
    const n = Math.min(runEntries, rows.length - at);
    writer.addPacked(firstId + at, n, digests.subarray(at * ENTRY_STRIDE, (at + n) * ENTRY_STRIDE), packed.identities.subarray(at * 16, (at + n) * 16));
    if (writer.full) writer.flushRun();
  }
  const layout = writer.finish();
  db.transaction(() => activateHashSet(db, setId, { entries: layout.distinct, malformed: 0, scheme: 'none', sourceSha256: '0'.repeat(64), ...layout }, null, new Date().toISOString()))();
  return { setId, ids: rows.map((_, i) => firstId + i), layout };
}

const keyRows = (setId: number) =>
  db.prepare('SELECT method, run, count(*) AS n FROM hashset_keys WHERE hashset_id = ? GROUP BY method, run ORDER BY method, run').all(setId) as { method: string; run: number; n: number }[];

describe('sorting keys with their ids', () => {
  it('orders by key then id, native and portable alike', () => {
    for (const width of [16, 20, 32]) {
      const n = 5000;
      const keys = randomBytes(n * width);
      // Some equal keys, to order by id.
      keys.copy(keys, 7 * width, 3 * width, 4 * width);
      keys.copy(keys, 9 * width, 3 * width, 4 * width);
      const ids = Float64Array.from({ length: n }, (_, i) => n - i);
      const expected = Array.from({ length: n }, (_, i) => ({ key: keys.subarray(i * width, i * width + width).toString('hex'), id: ids[i] ?? 0 })).sort(
        (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id),
      );
      for (const sort of [sortKeys, keyKernels.portable.sortKeys]) {
        const k = Buffer.from(keys);
        const d = Float64Array.from(ids);
        sort(k, width, d);
        expect(Array.from({ length: n }, (_, i) => ({ key: k.subarray(i * width, i * width + width).toString('hex'), id: d[i] }))).toEqual(expected);
      }
    }
  });

  it('gathers each record\'s key with consecutive ids, skipping absent (all-zero) digests, native and portable alike', () => {
    const stride = 68;
    const count = 2000;
    const records = randomBytes(stride * count);
    // Entries without a SHA-1 (bytes 32-51), and one with a single non-zero byte in it, past an 8-byte prefix.
    for (const i of [0, 5, 6, 1999]) records.fill(0, i * stride + 32, i * stride + 52);
    records.fill(0, 7 * stride + 32, 7 * stride + 52);
    records[7 * stride + 51] = 1;
    const kernels = [(...args: Parameters<typeof keyKernels.portable.gatherKeys>) => keyKernels.portable.gatherKeys(...args)];
    if (keyKernels.native) kernels.push((from, zeroWidth, keys, ids, at, firstId) => gatherKeys(from, zeroWidth, keys, ids, at, firstId));
    // Whole SHA-1s, and their 8-byte prefixes: either way a digest is absent only when all 20 bytes are zeros.
    for (const width of [20, 8]) {
      const expected = Array.from({ length: count }, (_, i) => ({ key: records.subarray(i * stride + 32, i * stride + 32 + width).toString('hex'), id: 1000 + i })).filter(
        (_, i) => ![0, 5, 6, 1999].includes(i),
      );
      expect(expected).toHaveLength(count - 4);
      for (const gather of kernels) {
        // Appended after three keys already held.
        const keys = Buffer.alloc((count + 3) * width, 0xee);
        const ids = new Float64Array(count + 3).fill(-1);
        const copied = gather({ records, stride, offset: 32, width, count }, 20, keys, ids, 3, 1000);
        expect(copied).toBe(count - 4);
        expect(keys.subarray(0, 3 * width).every((b) => b === 0xee) && [...ids.subarray(0, 3)].every((id) => id === -1)).toBe(true);
        expect(Array.from({ length: copied }, (_, i) => ({ key: keys.subarray((3 + i) * width, (4 + i) * width).toString('hex'), id: ids[3 + i] }))).toEqual(expected);
        // Without skipping, every key.
        expect(gather({ records, stride, offset: 32, width, count }, 0, keys, ids, 0, 0)).toBe(count);
      }
    }
    expect(() => gatherKeys({ records, stride, offset: 60, width: 20, count }, 20, Buffer.alloc(count * 20), new Float64Array(count), 0, 0)).toThrow(RangeError);
    expect(() => gatherKeys({ records, stride, offset: 60, width: 8, count }, 20, Buffer.alloc(count * 8), new Float64Array(count), 0, 0)).toThrow(RangeError);
    expect(() => gatherKeys({ records, stride, offset: 32, width: 20, count }, 20, Buffer.alloc(count * 20), new Float64Array(count), 1, 0)).toThrow(RangeError);
  });

  it('gives equal records equal identities and different records different ones', () => {
    const width = 109;
    const records = randomBytes(1000 * width);
    records.copy(records, 500 * width, 10 * width, 11 * width);
    for (const keysOf of [recordKeys, keyKernels.portable.recordKeys]) {
      const out = Buffer.from(keysOf(records, width));
      const hexes = Array.from({ length: 1000 }, (_, i) => out.subarray(i * 16, i * 16 + 16).toString('hex'));
      expect(hexes[500]).toBe(hexes[10]);
      expect(new Set(hexes).size).toBe(999);
    }
  });
});

describe('key buckets', () => {
  it('finds every key of a set kept in a few runs, and nothing else', () => {
    const rows = Array.from({ length: 3000 }, () => row(randomBytes(16), randomBytes(20), randomBytes(32)));
    const { setId, ids, layout } = store_(rows, 1000);
    expect(layout).toEqual({ distinct: 3000, duplicates: 0, keyBits: RUN_BITS, keyRun: 0, keyBase: ids[0] });
    expect(new Set(keyRows(setId).map((r) => r.run))).toEqual(new Set([0, 1, 2]));
    rows.forEach((r, i) => {
      for (const method of ['md5', 'sha1', 'sha256'] as const) {
        expect(exactHits(db, method, r[method] as Buffer)).toEqual([{ entryId: ids[i], hashsetId: setId, category: null }]);
      }
    });
    expect(exactHits(db, 'md5', randomBytes(16))).toEqual([]);
    expect(exactHits(db, 'md5', randomBytes(20))).toEqual([]);
  });

  it('keeps 8-byte prefixes with 4-byte ids, and confirms the whole digest on the entry', () => {
    // Digests that share their first 8 bytes (the key) and differ after it.
    const shared = randomBytes(32);
    const twin = (last: number) => Buffer.concat([shared.subarray(0, 31), Buffer.from([last])]);
    const rows = [row(twin(1).subarray(0, 16), twin(1).subarray(0, 20), twin(1)), row(null, null, twin(2)), row(randomBytes(16))];
    const { setId, ids } = store_(rows, 1000);
    const bucket = db.prepare(`SELECT keys, entries FROM hashset_keys WHERE hashset_id = ? AND method = 'sha256'`).get(setId) as { keys: Buffer; entries: Buffer };
    expect(bucket.keys).toEqual(Buffer.concat([shared.subarray(0, 8), shared.subarray(0, 8)]));
    expect([bucket.entries.readUInt32LE(0), bucket.entries.readUInt32LE(4)]).toEqual([0, 1]);
    expect(db.prepare('SELECT key_base AS base FROM hashsets WHERE id = ?').get(setId)).toEqual({ base: ids[0] });
    expect(exactHits(db, 'sha256', twin(1)).map((h) => h.entryId)).toEqual([ids[0]]);
    expect(exactHits(db, 'sha256', twin(2)).map((h) => h.entryId)).toEqual([ids[1]]);
    expect(exactHits(db, 'sha256', twin(3))).toEqual([]);
    // The same for an MD5 that shares the key and not the rest.
    expect(exactHits(db, 'md5', Buffer.concat([shared.subarray(0, 8), Buffer.alloc(8, 0x5a)]))).toEqual([]);
    expect(exactHits(db, 'md5', twin(1).subarray(0, 16)).map((h) => h.entryId)).toEqual([ids[0]]);
  });

  it('writes a run larger than one INSERT takes in slices of whole buckets, every key in its bucket', () => {
    const rows = Array.from({ length: 150_000 }, () => row(randomBytes(16)));
    const { setId, ids, layout } = store_(rows, 200_000);
    expect(layout.keyRun).toBe(0);
    const stored = db.prepare('SELECT count(*) AS buckets, count(DISTINCT bucket) AS distinct_, sum(length(entries)) / 4 AS keys FROM hashset_keys WHERE hashset_id = ?').get(setId);
    // One row per bucket, as a single INSERT writes them, however the run was cut.
    expect(stored).toEqual({ buckets: (stored as { distinct_: number }).distinct_, distinct_: expect.any(Number), keys: 150_000 });
    for (let i = 0; i < rows.length; i += 997) expect(exactHits(db, 'md5', rows[i]?.md5 as Buffer).map((h) => h.entryId)).toEqual([ids[i]]);
    expect(exactHits(db, 'md5', rows[149_999]?.md5 as Buffer).map((h) => h.entryId)).toEqual([ids[149_999]]);
  });

  it('merges many runs into one finer run, dropping the runs it merged', () => {
    const rows = Array.from({ length: 20_000 }, () => row(randomBytes(16)));
    const { setId, ids, layout } = store_(rows, 1000);
    expect(layout.keyRun).toBe(20);
    expect(keyRows(setId).every((r) => r.run === 20 && r.method === 'md5')).toBe(true);
    for (const i of [0, 1, 999, 1000, 12_345, 19_999]) expect(exactHits(db, 'md5', rows[i]?.md5 as Buffer).map((h) => h.entryId)).toEqual([ids[i]]);
  });

  it.each([
    ['held in memory', undefined],
    ['spilled to the store with the runs', 2],
  ])('keeps the first of duplicate entries (same hashes and category) and every entry whose category differs (identities %s)', (_, identitiesInMemory) => {
    const md5 = randomBytes(16);
    const other = randomBytes(16);
    const rows = [row(md5, null, null, 1), row(other), row(md5, null, null, 1), row(md5, null, null, 2), row(other)];
    const { setId, ids, layout } = store_(rows, 2, identitiesInMemory);
    expect(layout).toMatchObject({ distinct: 3, duplicates: 2 });
    expect(exactHits(db, 'md5', md5).map((h) => [h.entryId, h.category])).toEqual([
      [ids[0], 1],
      [ids[3], 2],
    ]);
    expect(exactHits(db, 'md5', other).map((h) => h.entryId)).toEqual([ids[1]]);
    const left = db.prepare('SELECT id FROM hashset_entries WHERE hashset_id = ? ORDER BY id').all(setId) as { id: number }[];
    expect(left.map((r) => r.id)).toEqual([ids[0], ids[1], ids[3]]);
    expect(keyRows(setId).some((r) => r.method === 'identity')).toBe(false);
  });

  it('never holds more identities than its bound, spilling them before the column would outgrow it', () => {
    const rows = Array.from({ length: 30_000 }, () => row(randomBytes(16), randomBytes(20)));
    // Duplicates before the spill, across it, and after it.
    for (const [from, to] of [[100, 5_000], [200, 25_000], [20_000, 29_999]] as const) rows[to] = rows[from] as ImportedEntry;
    const setId = newSet();
    const bound = 8192;
    const writer = new HashSetKeyWriter(db, setId, 1000, bound);
    const packed = packEntries(rows);
    const digests = Buffer.from(packed.digests.buffer, packed.digests.byteOffset, packed.digests.byteLength);
    const { firstId } = db.transaction(() => insertPackedEntries(db, setId, digests, packed.rows))();
    const rooms: number[] = [];
    // Chunks smaller than a run, as the reader thread sends them, flushed once a run is held.
    for (let at = 0; at < rows.length; at += 700) {
      const n = Math.min(700, rows.length - at);
      writer.addPacked(firstId + at, n, digests.subarray(at * ENTRY_STRIDE, (at + n) * ENTRY_STRIDE), packed.identities.subarray(at * 16, (at + n) * 16));
      rooms.push(writer.identityRoom);
      if (writer.full) writer.flushRun();
    }
    expect(Math.max(...rooms)).toBeLessThanOrEqual(bound);
    // Once spilled, the column holds a run and a chunk at most.
    expect(rooms.at(-1)).toBeLessThanOrEqual(2048);
    expect(writer.finish()).toMatchObject({ distinct: 29_997, duplicates: 3 });
  });

  it('builds the keys of a set stored before key buckets existed', () => {
    const rows = Array.from({ length: 500 }, () => row(randomBytes(16), randomBytes(20)));
    const { setId, ids } = store_(rows, 1000);
    db.prepare('DELETE FROM hashset_keys WHERE hashset_id = ?').run(setId);
    db.prepare('UPDATE hashsets SET key_bits = NULL, key_run = NULL WHERE id = ?').run(setId);
    expect(exactHits(db, 'md5', rows[7]?.md5 as Buffer)).toEqual([]);
    expect(buildMissingKeys(db)).toEqual([{ hashsetId: setId, entries: 500 }]);
    expect(exactHits(db, 'sha1', rows[7]?.sha1 as Buffer).map((h) => h.entryId)).toEqual([ids[7]]);
    expect(buildMissingKeys(db)).toEqual([]);
  });
});

describe('key runs made on the reader thread (the RDSv3 path)', () => {
  it.each([
    ['one after another', false],
    ['with another set\'s entries stored between two chunks', true],
  ])('find every entry when the ids run %s', (_, gap) => {
    const setId = newSet();
    const writer = new HashSetKeyWriter(db, setId, 1000);
    const builder = new KeyRunBuilder(1000);
    const entries: { md5: Buffer; sha1: Buffer; sha256: Buffer; id: number }[] = [];
    let pending: PreparedRun | null = null;
    let written = 0;
    for (let chunk = 0; chunk < 5; chunk++) {
      const rows = Array.from({ length: 700 }, () => row(randomBytes(16), randomBytes(20), randomBytes(32)));
      const packed = packEntries(rows);
      const digests = Buffer.from(packed.digests.buffer, packed.digests.byteOffset, packed.digests.byteLength);
      builder.add(rows.length, digests);
      const { firstId } = db.transaction(() => insertRdsEntries(db, setId, digests, Buffer.from(JSON.stringify(rows.map((_, i) => [`f${i}`, i, 1])))))();
      rows.forEach((r, i) => entries.push({ md5: r.md5 as Buffer, sha1: r.sha1 as Buffer, sha256: r.sha256 as Buffer, id: firstId + i }));
      writer.addStored(firstId, rows.length);
      if (gap && chunk === 2) db.transaction(() => insertRdsEntries(db, newSet(), randomBytes(68), Buffer.from('[["other", 1, 1]]')))();
      if (pending !== null) {
        writer.writeRun(pending);
        written++;
      }
      pending = builder.full ? builder.take() : null;
    }
    for (const run of [pending, builder.take()]) if (run !== null) writer.writeRun(run);
    // Written as they came, until the gap.
    expect(written).toBeGreaterThan(0);
    expect(keyRows(setId).length).toBeGreaterThan(0);
    const layout = writer.finish();
    expect(layout).toMatchObject({ distinct: 3500, duplicates: 0, keyBase: entries[0]?.id });
    db.transaction(() => activateHashSet(db, setId, { entries: layout.distinct, malformed: 0, scheme: 'none', sourceSha256: '0'.repeat(64), ...layout }, null, new Date().toISOString()))();
    for (const e of entries) {
      for (const method of ['md5', 'sha1', 'sha256'] as const) expect(exactHits(db, method, e[method]).map((h) => h.entryId)).toEqual([e.id]);
    }
  });
});

describe('importing an NSRL RDSv3 database through the bulk path', () => {
  it('stores one entry per file, its first listing, and finds it by each digest', async () => {
    const path = join(dir, 'rds.db');
    const rds = new Database(path);
    rds.exec(PK_FILE_TABLE);
    const insert = rds.prepare('INSERT INTO FILE VALUES (?, ?, ?, ?, ?, ?, ?)');
    const rows = [...rdsRows(3000, 5)];
    rds.transaction(() => {
      for (const r of rows) {
        insert.run(r.sha256, r.sha1, r.md5, r.crc32, r.fileName, r.fileSize, r.packageId);
        insert.run(r.sha256, r.sha1, r.md5, r.crc32, `x-${r.fileName}`, r.fileSize, r.packageId + 7);
      }
    })();
    rds.close();
    const run = await HashSetImportRun.start(db, 1, { path, name: 'NSRL bulk', format: 'auto', actor: 'alice' }, () => undefined);
    const view = await run.finished;
    expect(view).toMatchObject({ state: 'done', error: null, entriesRead: 6000, hashset: { entries: 3000, format: 'nsrl', kind: 'ignorable' } });
    // Hashed on the reader thread, which reads this format through SQLite.
    expect(view.hashset?.sourceSha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    // The import ran under a rollback journal (store/bulk-journal.ts) and gave the WAL back.
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const setId = view.hashset?.id as number;
    for (const r of [rows[0], rows[1234], rows[2999]]) {
      const bySha1 = exactHits(db, 'sha1', Buffer.from(r?.sha1 ?? '', 'hex'));
      expect(bySha1).toHaveLength(1);
      expect(bySha1[0]?.hashsetId).toBe(setId);
      for (const method of ['md5', 'sha256'] as const) expect(exactHits(db, method, Buffer.from(r?.[method] ?? '', 'hex'))).toEqual(bySha1);
      const entry = db.prepare('SELECT file_name AS fileName, file_size AS fileSize, package_id AS packageId, extra FROM hashset_entries WHERE id = ?').get(bySha1[0]?.entryId);
      expect(entry).toEqual({ fileName: r?.fileName, fileSize: r?.fileSize, packageId: r?.packageId, extra: null });
    }
  });
});

describe('an import that ends badly on the reader thread', () => {
  const counts = () =>
    db.prepare(`SELECT (SELECT count(*) FROM hashsets) AS sets, (SELECT count(*) FROM hashset_entries) AS entries, (SELECT count(*) FROM hashset_keys) AS keys`).get();

  it('fails with the reader\'s one-line reason when the file breaks off after chunks were written, and keeps nothing', async () => {
    const whole = join(dir, 'whole.json');
    await writeVics2MediaFile(whole, { count: 25_000, seed: 9 });
    const bytes = readFileSync(whole);
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    const before = counts();
    const run = await HashSetImportRun.start(db, 2, { path: cut, name: 'cut', format: 'vics', actor: 'alice' }, () => undefined);
    const view = await run.finished;
    expect(view.state).toBe('failed');
    expect(view.entriesRead).toBeGreaterThanOrEqual(10_000);
    expect(view.error).toMatch(/^the VICS JSON file breaks off at line \d+/);
    expect(counts()).toEqual(before);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('refuses a record too large for the reader thread in one line, and the process lives on', async () => {
    const file = join(dir, 'huge-record.json');
    const filler = 'A'.repeat(6 << 20);
    writeFileSync(file, `{"@odata.context":"http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media","value":[{"MD5":"${'0'.repeat(31)}1","Series":"${filler}"}]}`);
    const before = counts();
    const run = await HashSetImportRun.start(db, 4, { path: file, name: 'huge', format: 'vics', actor: 'alice' }, () => undefined);
    const view = await run.finished;
    expect(view).toMatchObject({ state: 'failed', error: expect.stringMatching(/^the VICS JSON file breaks off at line 1: it holds a value longer than 4 MiB/) });
    expect(counts()).toEqual(before);
  });

  it('stops when asked, keeping nothing', async () => {
    const file = join(dir, 'stopped.json');
    await writeVics2MediaFile(file, { count: 60_000, seed: 10 });
    const before = counts();
    const run = await HashSetImportRun.start(db, 3, { path: file, name: 'stopped', format: 'vics', actor: 'alice' }, () => undefined);
    const view = await run.stop('locked');
    expect(view).toMatchObject({ state: 'failed', error: 'import stopped (locked): nothing of it was kept', hashset: null });
    expect(counts()).toEqual(before);
  });
});
