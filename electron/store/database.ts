// custos.db: SQLCipher 4 keyed with the raw 256-bit master key (no KDF on the database side:
// the passphrase KDF lives in the key slots).
import Database from 'better-sqlite3-multiple-ciphers';
import { CustosError } from './errors.js';

export type Db = Database.Database;

function isNotADatabase(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/** Maps SQLite's page-authentication failures to a human message; anything else passes through. */
export function asStoreError(err: unknown, path: string): unknown {
  if (isNotADatabase(err)) {
    return new CustosError('store-corrupt', `${path} is damaged or was altered (page authentication failed): restore it from a backup`);
  }
  return err;
}

export function openDatabase(path: string, masterKey: Buffer, options: { readonly create: boolean }): Db {
  const db = new Database(path, { fileMustExist: !options.create });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${masterKey.toString('hex')}'"`);
    // SQLCipher only authenticates a page when it reads it: a full quick_check reads every
    // page, so a flipped byte anywhere is caught at unlock rather than mid-investigation.
    const check = String(db.pragma('quick_check', { simple: true }));
    if (check !== 'ok') {
      const first = check.split('\n').find((line) => line.trim() !== '' && !line.startsWith('***')) ?? check;
      throw new CustosError('store-corrupt', `${path} is damaged or was altered (integrity check: ${first.trim()}): restore it from a backup`);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    // SQLite3 Multiple Ciphers encrypts the database and its WAL, never its temporary files: a
    // large sort, index build or statement journal would otherwise spill plaintext to $TMPDIR.
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db.close();
    throw asStoreError(err, path);
  }
}
