// custos.db: SQLCipher 4 keyed with the raw 256-bit master key (no KDF on the database side:
// the passphrase KDF lives in the key slots).
import Database from 'better-sqlite3-multiple-ciphers';
import { CustosError } from './errors.js';
import { loadRowsReader } from './rows-reader.js';

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

/**
 * Stores up to this many pages (256 MiB) are read whole at every open. Above it the hash sets'
 * bulk tables (tens of millions of rows once NSRL is in) are left out of the open's check, which
 * would otherwise take a minute: their pages are still authenticated whenever they are read, and
 * `store check` (checkStore) reads everything.
 */
export const FULL_CHECK_MAX_PAGES = 65_536;
/** How long an open waits for another process's transaction before leaving the journal mode as it is. */
const WAL_SWITCH_WAIT_MS = 1000;
const BULK_TABLES: ReadonlySet<string> = new Set(['hashset_entries', 'hashset_keys']);

export type StoreCheck = {
  readonly ok: boolean;
  readonly pages: number;
  /** Tables checked one by one (0: the whole file at once). */
  readonly tables: number;
  /** Tables left to be authenticated as they are read. */
  readonly skipped: readonly string[];
  readonly problem: string | null;
};

function firstProblem(result: string): string | null {
  if (result === 'ok') return null;
  return (result.split('\n').find((line) => line.trim() !== '' && !line.startsWith('***')) ?? result).trim();
}

/**
 * SQLCipher only authenticates a page when it reads it: quick_check reads every page it covers, so
 * a flipped byte is caught here rather than mid-investigation. `full`: every page whatever the
 * store's size; else the bulk tables of a store above FULL_CHECK_MAX_PAGES are skipped.
 */
export function checkStore(db: Db, full: boolean, maxPages = FULL_CHECK_MAX_PAGES): StoreCheck {
  const pages = Number(db.pragma('page_count', { simple: true }));
  if (full || pages <= maxPages) {
    const problem = firstProblem(String(db.pragma('quick_check', { simple: true })));
    return { ok: problem === null, pages, tables: 0, skipped: [], problem };
  }
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  const skipped = tables.filter((t) => BULK_TABLES.has(t));
  for (const table of tables.filter((t) => !BULK_TABLES.has(t))) {
    // The name comes from the schema (our own tables), quoted as an identifier.
    const problem = firstProblem(String(db.pragma(`quick_check("${table.replaceAll('"', '""')}")`, { simple: true })));
    if (problem !== null) return { ok: false, pages, tables: tables.length, skipped, problem: `${table}: ${problem}` };
  }
  return { ok: true, pages, tables: tables.length, skipped, problem: null };
}

/**
 * WAL, as the store is kept. Another process importing a hash set holds the store under a
 * rollback journal (bulk-journal.ts) and may be inside a transaction: then the switch waits a
 * moment and, if still refused, the store is opened as it is. Both modes are safe; the importer
 * gives the WAL back when it ends, and SQLite follows the file's mode at each transaction.
 */
function setWal(db: Db): void {
  const timeout = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma(`busy_timeout = ${WAL_SWITCH_WAIT_MS}`);
  try {
    db.pragma('journal_mode = WAL');
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

export function openDatabase(path: string, masterKey: Buffer, options: { readonly create: boolean; readonly fullCheckMaxPages?: number }): Db {
  const db = new Database(path, { fileMustExist: !options.create });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${masterKey.toString('hex')}'"`);
    const check = checkStore(db, false, options.fullCheckMaxPages);
    if (!check.ok) {
      throw new CustosError('store-corrupt', `${path} is damaged or was altered (integrity check: ${check.problem ?? 'failed'}): restore it from a backup`);
    }
    setWal(db);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    // SQLite3 Multiple Ciphers encrypts the database and its WAL, never its temporary files: a
    // large sort, index build or statement journal would otherwise spill plaintext to $TMPDIR.
    db.pragma('temp_store = MEMORY');
    loadRowsReader(db);
    return db;
  } catch (err) {
    db.close();
    throw asStoreError(err, path);
  }
}
