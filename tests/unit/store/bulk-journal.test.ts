// Bulk loads run under a rollback journal (one encryption per new page instead of three); the
// store must be back in WAL afterwards, stay in WAL where it cannot switch, and survive a crash
// in the middle of a bulk transaction.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdRollbackJournal } from '../../../electron/store/bulk-journal.js';
import { openDatabase, type Db } from '../../../electron/store/database.js';

const mode = (db: Db) => db.pragma('journal_mode', { simple: true });

describe('holdRollbackJournal', () => {
  let dir: string;
  let path: string;
  let key: Buffer;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'custos-bulk-journal-'));
    path = join(dir, 'custos.db');
    key = randomBytes(32);
    db = openDatabase(path, key, { create: true });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL) STRICT');
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a rollback journal while held, by every holder, and WAL again after', () => {
    const first = holdRollbackJournal(db);
    expect(mode(db)).toBe('delete');
    const second = holdRollbackJournal(db);
    first();
    first();
    expect(mode(db)).toBe('delete');
    db.prepare('INSERT INTO t (data) VALUES (?)').run(randomBytes(100));
    second();
    expect(mode(db)).toBe('wal');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
  });

  it('stays in WAL where it cannot switch: inside a transaction, or with another connection open', () => {
    db.transaction(() => {
      const release = holdRollbackJournal(db);
      expect(mode(db)).toBe('wal');
      release();
    })();
    const other = new Database(path);
    other.pragma(`cipher = 'sqlcipher'`);
    other.pragma('legacy = 4');
    other.pragma(`key = "x'${key.toString('hex')}'"`);
    other.prepare('SELECT count(*) FROM t').get();
    try {
      const release = holdRollbackJournal(db);
      expect(mode(db)).toBe('wal');
      db.prepare('INSERT INTO t (data) VALUES (?)').run(randomBytes(100));
      release();
      expect(mode(db)).toBe('wal');
    } finally {
      other.close();
    }
    // Nothing was counted as held: a later hold switches.
    const release = holdRollbackJournal(db);
    expect(mode(db)).toBe('delete');
    release();
  });

  it('lets another connection open the store while it is held, even inside a bulk transaction', () => {
    const release = holdRollbackJournal(db);
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO t (data) VALUES (?)').run(randomBytes(100));
    // The other open cannot take the store back to WAL now: it opens it as it is.
    const other = openDatabase(path, key, { create: false });
    expect(mode(other)).toBe('delete');
    db.exec('COMMIT');
    expect(other.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    other.close();
    release();
    expect(mode(db)).toBe('wal');
    // With no transaction open, another open puts the store in WAL, and the holder follows.
    const again = holdRollbackJournal(db);
    const third = openDatabase(path, key, { create: false });
    expect(mode(third)).toBe('wal');
    db.prepare('INSERT INTO t (data) VALUES (?)').run(randomBytes(100));
    expect(third.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 });
    third.close();
    again();
    expect(mode(db)).toBe('wal');
  });

  it('leaves a store that opens, in WAL, without the half-written transaction, after a crash inside one', () => {
    db.prepare('INSERT INTO t (data) VALUES (?)').run(Buffer.alloc(10, 1));
    db.close();
    // The child holds the journal, writes far more than the page cache holds (so pages spill into
    // the database file before the commit) and is killed before committing.
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { openDatabase } from ${JSON.stringify(join(import.meta.dirname, '../../../electron/store/database.ts'))};
         import { holdRollbackJournal } from ${JSON.stringify(join(import.meta.dirname, '../../../electron/store/bulk-journal.ts'))};
         import { existsSync } from 'node:fs';
         const db = openDatabase(${JSON.stringify(path)}, Buffer.from('${key.toString('hex')}', 'hex'), { create: false });
         db.pragma('cache_size = 100');
         holdRollbackJournal(db);
         db.exec('BEGIN');
         const insert = db.prepare('INSERT INTO t (data) VALUES (randomblob(4000))');
         for (let i = 0; i < 5000; i++) insert.run();
         process.stdout.write(existsSync(${JSON.stringify(`${path}-journal`)}) ? 'journal' : 'no journal');
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toBe('journal');
    expect(existsSync(`${path}-journal`)).toBe(true);
    db = openDatabase(path, key, { create: false });
    expect(mode(db)).toBe('wal');
    expect(db.prepare('SELECT id, data FROM t').all()).toEqual([{ id: 1, data: Buffer.alloc(10, 1) }]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(existsSync(`${path}-journal`)).toBe(false);
  });
});
