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

  it('a store from a newer version is refused with a clear message', () => {
    db.pragma('user_version = 5000');
    expect(() => migrate(db)).toThrow(/written by a newer Custos \(schema 5000; this version knows up to \d+\)/);
  });
});
