// custos_rows (native/src/sqlite_rows.c) must read a chunk's rows exactly as SQLite's own
// `jsonb_each(...)` and `value ->> n` do, value for value and type for type, or the entries a hash
// set stores would depend on whether the extension was built. Compared here on generated rows of
// every kind of value, on what the importers send, and through the repository's INSERTs.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/store/migrate.js';
import { insertPackedEntries, insertRdsEntries } from '../../../electron/store/repositories/hashsets.js';
import { loadRowsReader, rowsReader } from '../../../electron/store/rows-reader.js';
import type { Db } from '../../../electron/store/database.js';

function connection(native: boolean): Db {
  const db = new Database(':memory:');
  if (native) loadRowsReader(db);
  return db;
}

const probe = connection(true);
const built = rowsReader(probe).from.startsWith('custos_rows');
if (!built) console.warn('[skipped] custos_rows tests: the extension is not built or CUSTOS_NO_NATIVE=1');

const COLUMNS = 10;
/**
 * Each column as a comparable text: its type and quote() (exact for integers and reals). An
 * object or array (as jsonb_each sees the element) through json(), as the INSERTs store one.
 */
const viaExtension = (db: Db, rows: string) =>
  db
    .prepare(
      `SELECT c.key, ${Array.from({ length: COLUMNS }, (_, n) => {
        const v = `CASE WHEN json_type(j.value, '$[${n}]') IN ('object', 'array') THEN json(c.v${n}) ELSE c.v${n} END`;
        return `typeof(${v}) || ':' || quote(${v})`;
      }).join(', ')}
       FROM custos_rows(:rows) c JOIN jsonb_each(:rows) j ON j.key = c.key ORDER BY c.key`,
    )
    .raw(true)
    .all({ rows });
const viaSqlite = (db: Db, rows: string) =>
  db
    .prepare(`SELECT key, ${Array.from({ length: COLUMNS }, (_, n) => `typeof(value ->> ${n}) || ':' || quote(value ->> ${n})`).join(', ')} FROM jsonb_each(?) ORDER BY key`)
    .raw(true)
    .all(rows);

/** A small seeded generator: the same rows every run. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const text = (): string => {
    const pieces = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u0000', 'é', 'ñ', '中', '😀', '\ud800', '\udfff', '{', ']', ','];
    let out = '';
    const length = Math.floor(next() * 12);
    for (let k = 0; k < length; k++) out += pick(pieces);
    return out;
  };
  const scalar = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => true,
      () => false,
      () => Math.floor(next() * 2000) - 1000,
      () => pick([0, -1, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53) + 1]),
      () => next() * 1e6 - 5e5,
      () => pick([1.5, -0.25, 1e300, -1e-300, 5e-324, 123456789.125]),
      text,
    ])();
  const value = (depth: number): unknown => {
    if (depth < 2 && next() < 0.15) return next() < 0.5 ? Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1)) : Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [text(), value(depth + 1)]));
    return scalar();
  };
  return { next, value };
}

describe.skipIf(!built)('custos_rows', () => {
  it('reads generated rows of every kind of value exactly as jsonb_each and ->> do', () => {
    const db = connection(true);
    const g = generator(20261123);
    for (let round = 0; round < 20; round++) {
      const rows = Array.from({ length: 200 }, () => Array.from({ length: Math.floor(g.next() * 13) }, () => g.value(0)));
      const json = JSON.stringify(rows);
      expect(viaExtension(db, json)).toEqual(viaSqlite(db, json));
    }
  });

  it('reads numbers past 64 bits, negative zero and the int64 bounds as SQLite does', () => {
    const db = connection(true);
    const json = '[[9223372036854775807, -9223372036854775808, 9223372036854775808, -9223372036854775809, 18446744073709551616, -0, -0.0, 0.0, 1E2, 1e-2, 2.5e+3, 12345678901234567890123]]';
    expect(viaExtension(db, json)).toEqual(viaSqlite(db, json));
  });

  it('reads JSON with whitespace between its tokens, and objects kept as minified text', () => {
    const db = connection(true);
    const json = ' [ [ 1 , "a" , { "x" : [ 1 , 2 ] , "y" : null } ] ,\n\t[ ] , [null] ] ';
    expect(viaExtension(db, json)).toEqual(viaSqlite(db, json));
    expect(db.prepare('SELECT json(v2) FROM custos_rows(?) WHERE key = 0').pluck().get(json)).toBe('{"x":[1,2],"y":null}');
  });

  it('reads the rows SQLite itself serialises (the NSRL reader sends json_group_array)', () => {
    const db = connection(true);
    db.exec('CREATE TABLE f (name TEXT, size, pkg)');
    const insert = db.prepare('INSERT INTO f VALUES (?, ?, ?)');
    const g = generator(7);
    for (let k = 0; k < 500; k++) insert.run(String(g.value(2) ?? ''), k % 7 === 0 ? 'n/a' : k * 1013, k % 11 === 0 ? null : k);
    const json = db.prepare('SELECT json_group_array(json_array(name, size, pkg)) FROM f').pluck().get() as string;
    expect(viaExtension(db, json)).toEqual(viaSqlite(db, json));
  });

  it('gives no rows for an empty array and for NULL', () => {
    const db = connection(true);
    expect(db.prepare('SELECT count(*) FROM custos_rows(?)').pluck().get('[]')).toBe(0);
    expect(db.prepare('SELECT count(*) FROM custos_rows(?)').pluck().get(null)).toBe(0);
  });

  it('refuses malformed input with one clear error, every prefix of a valid document included', () => {
    const db = connection(true);
    const count = db.prepare('SELECT count(*) FROM custos_rows(?)').pluck();
    for (const bad of ['', '{}', '[1]', '[[1,]]', '[[1] [2]]', '[[01]]', '[[1.]]', '[[-]]', '[[tru]]', '[["\\x"]]', '[["\\u12"]]', '[[1]] x', '[[{]]']) {
      expect(() => count.get(bad), bad).toThrow(/^custos_rows: .+ at byte \d+$/);
    }
    const valid = JSON.stringify([[1, 'a"b\\c', { k: ['v', 2] }, null, true], [-2.5e3, '😀']]);
    for (let end = 0; end < valid.length; end++) expect(() => count.get(valid.slice(0, end)), valid.slice(0, end)).toThrow(/^custos_rows: /);
    expect(count.get(valid)).toBe(2);
  });

  it('keeps the rows in key order without a sort', () => {
    const db = connection(true);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT key, v0 FROM custos_rows(?) ORDER BY key').all('[]') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('gives each row its digests from the packed records, NULL where zeros, as substr and nullif do', () => {
    const db = connection(true);
    const records = randomBytes(68 * 6);
    records.fill(0, 0, 68); // none
    records.fill(0, 68 + 32, 68 + 52); // no SHA-1
    records.fill(0, 2 * 68 + 52, 3 * 68); // no MD5
    records.fill(0, 3 * 68, 3 * 68 + 31); // a SHA-256 with one non-zero byte, its last
    const rows = JSON.stringify(Array.from({ length: 6 }, (_, k) => [k]));
    const reader = rowsReader(db);
    const sqlite = { ...reader, digest: (n: 0 | 1 | 2) => `nullif(substr(:digests, key * 68 + ${[1, 33, 53][n]}, ${[32, 20, 16][n]}), zeroblob(${[32, 20, 16][n]}))` };
    const read = (r: typeof reader) =>
      db.prepare(`SELECT key, ${r.digest(0)} AS s256, ${r.digest(1)} AS s1, ${r.digest(2)} AS m5 FROM custos_rows(:rows, :digests) ORDER BY key`).all({ rows, digests: records }) as {
        s256: Buffer | null;
        s1: Buffer | null;
        m5: Buffer | null;
      }[];
    const native = read(reader);
    expect(native).toEqual(read(sqlite));
    expect(native.map((r) => [r.s256 === null, r.s1 === null, r.m5 === null])).toEqual([
      [true, true, true],
      [false, true, false],
      [false, false, true],
      [false, false, false],
      [false, false, false],
      [false, false, false],
    ]);
    expect(() => db.prepare('SELECT d0 FROM custos_rows(?, ?)').all(rows, records.subarray(0, 68 * 5))).toThrow(/^custos_rows: more rows than digest records/);
    // Without digests, the columns are NULL.
    expect(db.prepare('SELECT d0, d1, d2 FROM custos_rows(?)').all('[[1]]')).toEqual([{ d0: null, d1: null, d2: null }]);
  });

  it('makes the repository store the same entries with and without it', () => {
    const stores = [connection(true), connection(false)];
    expect(stores.map((db) => rowsReader(db).from)).toEqual(['custos_rows(:rows, :digests)', 'jsonb_each(CAST(:rows AS TEXT))']);
    const g = generator(99);
    const count = 300;
    const digests = randomBytes(68 * count);
    digests.fill(0, 68 * 5, 68 * 6); // an entry with no digest at all
    const packed = JSON.stringify(
      Array.from({ length: count }, (_, k) => [
        k % 3 === 0 ? null : randomBytes(32).toString('hex'),
        k % 4 === 0 ? null : k % 101,
        k % 5 === 0 ? `photodna-${k}` : null,
        k % 6 === 0 ? null : k % 4,
        k % 10 === 0 ? `series "${k}" ñ` : null,
        k % 3 === 0 ? null : k % 2,
        `file-${k}\n.jpg`,
        k % 9 === 0 ? null : 1000 + k,
        k % 2 === 0 ? null : { MediaID: k, Nested: { list: [1, 'two', g.value(1)] } },
        k % 7 === 0 ? randomBytes(32).toString('hex') : null,
      ]),
    );
    const rds = JSON.stringify(Array.from({ length: count }, (_, k) => [k % 8 === 0 ? '' : `dll-${k}.dll`, k % 5 === 0 ? -1 : k % 6 === 0 ? 'big' : k * 17, k % 4 === 0 ? null : k % 9 === 0 ? 'pkg' : k]));
    const tables = stores.map((db) => {
      migrate(db);
      db.prepare(
        `INSERT INTO hashsets (name, format, kind, scheme, source_file, source_sha256, source_size, state, imported_at, imported_by) VALUES ('t', 'vics', 'alert', 'none', 'f', '', 0, 'importing', 'now', 'test')`,
      ).run();
      const first = db.transaction(() => [insertPackedEntries(db, 1, digests, Buffer.from(packed)), insertRdsEntries(db, 1, digests, Buffer.from(rds))])();
      expect(first.map((r) => r.count)).toEqual([count, count]);
      return db.prepare('SELECT * FROM hashset_entries ORDER BY id').all();
    });
    expect(tables[0]).toHaveLength(2 * count);
    expect(tables[0]).toEqual(tables[1]);
  });
});
