// custos_rds_chunk (native/src/sqlite_rds.c) reads an RDSv3 FILE table's groups for the bulk
// path; where it is not built, SQL does (nsrl-rds3.ts). The entries a set stores must not depend on
// which: both are run here on the same generated databases, awkward values included, and their
// chunks written through the store's INSERT and compared row for row.
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { openHashSet, type BulkChunk } from '../../../../electron/matching/importers/index.js';
import { loadSqliteExtension } from '../../../../electron/native/custos-native.js';
import { migrate } from '../../../../electron/store/migrate.js';
import { insertRdsEntries } from '../../../../electron/store/repositories/hashsets.js';
import { loadRowsReader } from '../../../../electron/store/rows-reader.js';
import { HexSource } from '../../../fixtures/hashset-files.js';
import { TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());

const built = loadSqliteExtension(new Database(':memory:'), 'sqlite3_custosrds_init');
if (!built) console.warn('[skipped] custos_rds_chunk tests: the extension is not built or CUSTOS_NO_NATIVE=1');

/**
 * Loose on purpose (no NOT NULL, digests and names of any type): an index on the digests is all
 * the bulk path needs. INTEGER columns store JavaScript's whole numbers as integers, as NIST's do.
 */
const LOOSE_FILE_TABLE = `CREATE TABLE FILE (sha256, sha1, md5, crc32, file_name, file_size INTEGER, package_id INTEGER);
  CREATE INDEX file_digests ON FILE (sha256, sha1, md5);`;

type Value = string | number | bigint | Buffer | null;
type Row = readonly [sha256: Value, sha1: Value, md5: Value, fileName: Value, fileSize: Value, packageId: Value];

/** `groups` files listed 1-4 times, with names and sizes of every awkward kind. */
function awkwardRows(groups: number, seed: number): Row[] {
  const source = new HexSource(seed);
  const g = { below: (n: number) => source.int(n), hexOf: (chars: number, upper: boolean) => (upper ? source.hex(chars).toUpperCase() : source.hex(chars)) };
  const pieces = ['a', 'Z', '.dll', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', 'é', 'ñ', '中', '😀', '{', ']', ','];
  const name = (): Value => {
    const pick = g.below(40);
    if (pick === 0) return 'ñ'.repeat(5000); // cut at 4096 characters, not bytes
    if (pick === 1) return `before\u0000after`; // substr() stops at a NUL
    if (pick === 2) return Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x64]); // not UTF-8 (stored as text below)
    if (pick === 3) return '';
    let out = '';
    for (let k = g.below(10); k >= 0; k--) out += pieces[g.below(pieces.length)];
    return out;
  };
  const size = (): Value => [null, -5, 1.5, 'big', 2 ** 53 + 7][g.below(40)] ?? g.below(1e9);
  const rows: Row[] = [];
  for (let i = 0; i < groups; i++) {
    const upper = g.below(4) !== 0;
    // Absent digests empty or NULL (apart in GROUP BY, both absent).
    const absent = () => [null, ''][g.below(2)] ?? null;
    const sha256 = g.below(500) === 0 ? absent() : g.hexOf(64, upper);
    // Never all three absent (a malformed row, which the next test has).
    const digests = [sha256, g.below(10) === 0 ? absent() : g.hexOf(40, upper), sha256 !== null && sha256 !== '' && g.below(10) === 0 ? absent() : g.hexOf(32, upper)] as const;
    const tie = g.below(20) === 0 ? 'same-name' : null;
    // Now and then a file listed with its SHA-1 NULL and empty in turn: two groups, side by side in the index.
    const split = g.below(50) === 0;
    for (let r = 1 + g.below(4); r > 0; r--) {
      const [sha256, sha1, md5] = digests;
      rows.push([sha256, split ? [null, ''][r % 2] ?? null : sha1, md5, tie ?? name(), size(), g.below(30) === 0 ? null : g.below(1e6)]);
    }
  }
  return rows;
}

function database(name: string, rows: readonly Row[]): string {
  const path = files.path(name);
  const db = new Database(path);
  try {
    db.exec(LOOSE_FILE_TABLE);
    const insert = db.prepare('INSERT INTO FILE VALUES (?, ?, ?, 0, ?, ?, ?)');
    const insertBytes = db.prepare('INSERT INTO FILE VALUES (?, ?, ?, 0, CAST(? AS TEXT), ?, ?)');
    db.transaction(() => {
      for (const [s256, s1, m5, fileName, size, pkg] of rows) (Buffer.isBuffer(fileName) ? insertBytes : insert).run(s256, s1, m5, fileName, size, pkg);
    })();
  } finally {
    db.close();
  }
  return path;
}

/** The bulk chunks of a file, read natively or (CUSTOS_NO_NATIVE=1) through SQL, written as the store writes them. */
async function stored(path: string, native: boolean) {
  const saved = process.env.CUSTOS_NO_NATIVE;
  if (!native) process.env.CUSTOS_NO_NATIVE = '1';
  const reader = await openHashSet(path, 'nsrl');
  if (saved === undefined) delete process.env.CUSTOS_NO_NATIVE;
  else process.env.CUSTOS_NO_NATIVE = saved;
  const chunks: BulkChunk[] = [];
  try {
    const bulk = reader.bulkEntries?.() ?? null;
    expect(bulk).not.toBeNull();
    for await (const chunk of bulk ?? []) chunks.push(chunk);
  } finally {
    await reader.close();
  }
  const db = new Database(':memory:');
  loadRowsReader(db);
  migrate(db);
  db.prepare(
    `INSERT INTO hashsets (name, format, kind, scheme, source_file, source_sha256, source_size, state, imported_at, imported_by) VALUES ('t', 'nsrl', 'ignorable', 'none', 'f', '', 0, 'importing', 'now', 'test')`,
  ).run();
  for (const c of chunks) insertRdsEntries(db, 1, Buffer.from(c.digests.buffer, c.digests.byteOffset, c.digests.byteLength), c.rows);
  const entries = db.prepare('SELECT hex(sha256), hex(sha1), hex(md5), file_name, hex(file_name), file_size, package_id, extra FROM hashset_entries ORDER BY id').raw(true).all() as unknown[][];
  db.close();
  return { entries, rowsRead: chunks.reduce((n, c) => n + c.rowsRead, 0), malformed: reader.malformed() };
}

describe.skipIf(!built)('custos_rds_chunk: the bulk path read natively', () => {
  it('stores what the SQL path stores, over more than one chunk of awkward names and sizes', async () => {
    const rows = awkwardRows(25_000, 7);
    const path = database('awkward.db', rows);
    // All of it is of the plain shape the native read takes (status 0), a chunk at a time.
    const db = new Database(path, { readonly: true });
    loadSqliteExtension(db, 'sqlite3_custosrds_init');
    const first = db.prepare(`SELECT custos_rds_chunk('FILE', 20000, 4096, 1 << 24)`).pluck().get() as Buffer;
    db.close();
    expect([first.readUInt32LE(0), first.readUInt32LE(4), first.readUInt32LE(12)]).toEqual([0, 20_000, 1]);
    const [native, sql] = [await stored(path, true), await stored(path, false)];
    expect(native.entries.length).toBeGreaterThan(25_000);
    expect(native.rowsRead).toBe(rows.length);
    expect(native.malformed.count).toBe(0);
    expect(native).toEqual(sql);
    const names = native.entries.map((e) => e[3] as string | null);
    expect(names).toContain('ñ'.repeat(4096));
    expect(names).toContain('before');
    expect(names).not.toContain('');
  });

  it('leaves chunks it does not take (bad digests, odd types) to the exact SQL read, with the same entries and reports', async () => {
    const rows = awkwardRows(45_000, 11);
    const bad: Row[] = [
      ['Z'.repeat(64), 'B'.repeat(40), 'C'.repeat(32), 'not-hex', 1, 1],
      ['A'.repeat(64), 'B'.repeat(40), 'C'.repeat(30), 'short-md5', 1, 1],
      ['', '', '', 'no-digest', 1, 1],
      [null, 'D'.repeat(40), 'E'.repeat(32), 'null-sha256', 1, 1],
      ['6'.repeat(64), null, '6'.repeat(32), 'null-sha1', 1, 1],
      ['6'.repeat(64), '', '6'.repeat(32), 'empty-sha1', 1, 1],
      ['7'.repeat(64), '7'.repeat(40), '7'.repeat(32), 'package-as-text', 1, 'pkg'],
      ['8'.repeat(64), '8'.repeat(40), '8'.repeat(32), 42n, 1, 1],
      ['9'.repeat(64), 9, '9'.repeat(32), 'sha1-as-integer', 1, 1],
    ];
    const path = database('mixed.db', [...rows, ...bad]);
    const [native, sql] = [await stored(path, true), await stored(path, false)];
    // A NULL digest is an absent one, as an empty one is: that row is kept.
    expect(native.malformed.count).toBe(4);
    expect(native).toEqual(sql);
    expect(native.entries.map((e) => e[3])).toEqual(expect.arrayContaining(['null-sha256', 'null-sha1', 'empty-sha1', 'package-as-text', '42']));
    // An integer package in its column, any other in extra.
    expect(native.entries.find((e) => e[3] === 'package-as-text')?.slice(6)).toEqual([null, '{"package_id":"pkg"}']);
    expect(native.entries.find((e) => e[3] === 'null-sha1')?.slice(6)).toEqual([1, null]);
  });

  it('returns a chunk as documented: header, the last group as stored, digests, JSON', () => {
    const db = new Database(files.path('layout.db'));
    db.exec(LOOSE_FILE_TABLE);
    const insert = db.prepare('INSERT INTO FILE VALUES (?, ?, ?, 0, ?, ?, ?)');
    // In SQLite's order (BINARY): digits, upper case, lower case.
    const group = (d: string) => [d.repeat(64), d.repeat(40), ''] as const;
    const [a, b, c] = [group('1'), group('F'), group('a')];
    insert.run(...a, 'z.txt', 3, 30);
    insert.run(...a, 'y.txt', 2, 20);
    insert.run(...b, 'b "q"', 5, null);
    insert.run(...c, 'c', 7, 70);
    expect(loadSqliteExtension(db, 'sqlite3_custosrds_init')).toBe(true);
    const chunk = (db.prepare(`SELECT custos_rds_chunk('FILE', 2, 4096, 1 << 24)`).pluck().get() as Buffer) ?? Buffer.alloc(0);
    const words = Array.from({ length: 9 }, (_, i) => chunk.readUInt32LE(i * 4));
    expect(words).toEqual([0, 2, 3, 1, 136, words[5], 64, 40, 0]);
    const key = chunk.toString('latin1', 36, 36 + 104);
    expect(key).toBe('F'.repeat(64) + 'F'.repeat(40));
    const digests = chunk.subarray(140, 140 + 136);
    expect(digests.toString('hex')).toBe(`${'11'.repeat(52)}${'00'.repeat(16)}${'ff'.repeat(52)}${'00'.repeat(16)}`);
    expect(JSON.parse(chunk.toString('utf8', 276))).toEqual([
      ['y.txt', 2, 20],
      ['b "q"', 5, null],
    ]);
    const rest = db.prepare(`SELECT custos_rds_chunk('FILE', 2, 4096, 1 << 24, ?, ?, ?)`).pluck().get(...b) as Buffer;
    expect([rest.readUInt32LE(4), rest.readUInt32LE(12)]).toEqual([1, 0]);
    expect(() => db.prepare(`SELECT custos_rds_chunk('FILE', 2, 4096)`).get()).toThrow(/custos_rds_chunk: takes a table/);
    // A chunk does not end on a group with a NULL digest (no exact lower bound): it takes one more.
    db.exec('DELETE FROM FILE');
    for (const d of ['1', '2', '3', '4']) insert.run(d.repeat(64), d === '2' ? null : d.repeat(40), d.repeat(32), `${d}.txt`, 1, 1);
    const extended = db.prepare(`SELECT custos_rds_chunk('FILE', 2, 4096, 1 << 24)`).pluck().get() as Buffer;
    expect([1, 2, 3, 6, 7, 8].map((w) => extended.readUInt32LE(w * 4))).toEqual([3, 3, 1, 64, 40, 32]);
    expect(extended.toString('latin1', 36, 36 + 64)).toBe('3'.repeat(64));
    // And it ends early once its JSON reaches the size asked (still on a group with every digest).
    const small = db.prepare(`SELECT custos_rds_chunk('FILE', 4, 4096, 10)`).pluck().get() as Buffer;
    expect([1, 3].map((w) => small.readUInt32LE(w * 4))).toEqual([1, 1]);
    const sized = db.prepare(`SELECT custos_rds_chunk('FILE', 4, 4096, 30)`).pluck().get() as Buffer;
    expect([1, 3].map((w) => sized.readUInt32LE(w * 4))).toEqual([3, 1]);
    // The file is not ours: its own views and triggers cannot call the function.
    db.exec(`CREATE VIEW sneaky AS SELECT custos_rds_chunk('FILE', 2, 4096, 1 << 24) AS chunk`);
    expect(() => db.prepare('SELECT * FROM sneaky').get()).toThrow(/unsafe use of custos_rds_chunk/);
    db.close();
  });
});
