import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/store/database.js';
import { loadMigrations, migrate, schemaVersion } from '../../../electron/store/migrate.js';

describe('migrations', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'custos-migrate-'));
    db = openDatabase(join(dir, 'm.db'), randomBytes(32), { create: true });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are numbered in steps of ten and applied once', () => {
    const all = loadMigrations();
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => (i + 1) * 10));
    expect(migrate(db).length).toBe(all.length);
    expect(schemaVersion(db)).toBe(all.at(-1)?.version);
    expect(migrate(db)).toEqual([]);
  });

  it('0010 makes STRICT tables, foreign keys on, WAL', () => {
    migrate(db);
    const tables = db.prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`).all() as { name: string; strict: number }[];
    expect(tables.length).toBeGreaterThan(4);
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  // SQLite unlinks its temporary files ('etilqs_*') as it opens them: they show only as open descriptors.
  it.skipIf(process.platform !== 'linux')('keeps temporary data in memory: a sort larger than the cache opens no temp file', () => {
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    const openTempFiles = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).includes('etilqs_');
        } catch {
          return false;
        }
      });
    db.pragma('cache_size = 20');
    db.exec('CREATE TABLE big (v BLOB) STRICT');
    db.prepare('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000) INSERT INTO big SELECT randomblob(300) FROM n').run();
    const rows = db.prepare('SELECT v FROM big ORDER BY v').iterate();
    expect(rows.next().done).toBe(false);
    const open = openTempFiles();
    rows.return?.();
    expect(open).toEqual([]);
  });

  it('a failing migration leaves nothing behind', () => {
    const broken = [...loadMigrations(), { version: 9990, name: 'broken', sql: 'CREATE TABLE half (x INTEGER) STRICT; SELECT * FROM nowhere;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name IN ('half', 'users')`).get()).toEqual({ n: 0 });
  });

  it('0040 rebuilds hash-set entries without losing any, references checked, and leaves their keys to be built', () => {
    migrate(db, loadMigrations().filter((m) => m.version <= 30));
    db.prepare(
      `INSERT INTO hashsets (id, name, format, kind, scheme, source_file, source_sha256, source_size, entries, state, imported_at, imported_by)
       VALUES (7, 'old', 'md5', 'alert', 'none', 'old.md5', '', 0, 2, 'active', '2026-01-01', 'alice')`,
    ).run();
    const insert = db.prepare('INSERT INTO hashset_entries (id, hashset_id, dedup, md5, category) VALUES (?, 7, ?, ?, ?)');
    insert.run(41, Buffer.alloc(16, 1), Buffer.alloc(16, 0xaa), 2);
    insert.run(42, Buffer.alloc(16, 2), Buffer.alloc(16, 0xbb), null);
    expect(migrate(db).map((m) => m.version)).toContain(40);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id, hashset_id AS set_, hex(md5) AS md5, category FROM hashset_entries ORDER BY id').all()).toEqual([
      { id: 41, set_: 7, md5: 'AA'.repeat(16), category: 2 },
      { id: 42, set_: 7, md5: 'BB'.repeat(16), category: null },
    ]);
    expect(db.prepare('SELECT key_bits AS bits, key_run AS run FROM hashsets WHERE id = 7').get()).toEqual({ bits: null, run: null });
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('0060 drops key buckets of the whole-digest layout and leaves active sets to have theirs built again', () => {
    migrate(db, loadMigrations().filter((m) => m.version <= 50));
    db.prepare(
      `INSERT INTO hashsets (id, name, format, kind, scheme, source_file, source_sha256, source_size, entries, state, imported_at, imported_by, key_bits, key_run)
       VALUES (7, 'old', 'md5', 'alert', 'none', 'old.md5', '', 0, 1, 'active', '2026-01-01', 'alice', 10, 0)`,
    ).run();
    db.prepare('INSERT INTO hashset_entries (id, hashset_id, md5) VALUES (41, 7, ?)').run(Buffer.alloc(16, 0xaa));
    const float64Id = Buffer.alloc(8);
    float64Id.writeDoubleLE(41);
    db.prepare(`INSERT INTO hashset_keys (hashset_id, method, run, bucket, keys, entries) VALUES (7, 'md5', 0, 680, ?, ?)`).run(Buffer.alloc(16, 0xaa), float64Id);
    expect(migrate(db).map((m) => m.version)).toEqual([60, 70]);
    expect(db.prepare('SELECT count(*) AS n FROM hashset_keys').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT key_bits AS bits, key_run AS run, key_base AS base FROM hashsets WHERE id = 7').get()).toEqual({ bits: null, run: null, base: null });
    expect(db.prepare('SELECT count(*) AS n FROM hashset_entries').get()).toEqual({ n: 1 });
  });

  it('a migration that would break a reference is refused, and nothing of it stays', () => {
    migrate(db);
    const dangling = { version: 9990, name: 'dangling', sql: "INSERT INTO hashset_entries (hashset_id, md5) VALUES (999, x'00');" };
    expect(() => migrate(db, [...loadMigrations(), dangling])).toThrow(/broken reference.*hashset_entries/);
    expect(db.prepare('SELECT count(*) AS n FROM hashset_entries').get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('a store from a newer version is refused with a clear message', () => {
    db.pragma('user_version = 5000');
    expect(() => migrate(db)).toThrow(/written by a newer Custos \(schema 5000; this version knows up to \d+\)/);
  });
});
