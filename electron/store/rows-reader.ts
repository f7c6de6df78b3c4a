// custos_rows (native/src/sqlite_rows.c): a SQLite extension that reads a JSON array of rows as
// columns, loaded into each store connection. Hash-set chunks are written through it: `->>` per
// field cost SQLite more than the row's write. Where it cannot be loaded (no native build,
// CUSTOS_NO_NATIVE=1) the same statements read the rows through jsonb_each, with the same result.
import type Database from 'better-sqlite3-multiple-ciphers';
import { loadSqliteExtension } from '../native/custos-native.js';

// The connection type itself, not database.ts's alias: database.ts loads this module.
type Db = Database.Database;

/** Loads custos_rows into the connection if it is built; false when the connection goes without. */
export function loadRowsReader(db: Db): boolean {
  return loadSqliteExtension(db, 'sqlite3_custosrows_init');
}

export type RowsReader = {
  /** The table to read the rows from, given their JSON as :rows and their packed digests as :digests. */
  readonly from: string;
  /** Digest n of a row (0 SHA-256, 1 SHA-1, 2 MD5) from its 68-byte record in :digests, NULL where zeros. */
  digest(n: 0 | 1 | 2): string;
  /** Element n of a row, as `value ->> n` gives it. */
  field(n: number): string;
  /** Element n, an object or array, as the minified JSON text `value ->> n` gives. */
  json(n: number): string;
};

/** Where each digest lies in a row's record of :digests (BULK_DIGEST_WIDTH bytes), and its length. */
const DIGESTS = [
  [1, 32],
  [33, 20],
  [53, 16],
] as const;

const NATIVE: RowsReader = { from: 'custos_rows(:rows, :digests)', digest: (n) => `d${n}`, field: (n) => `v${n}`, json: (n) => `json(v${n})` };
// Parenthesised: ->> binds no tighter than ||.
const SQLITE: RowsReader = {
  // :rows is UTF-8 in a BLOB, which JSON functions would take for JSONB.
  from: 'jsonb_each(CAST(:rows AS TEXT))',
  digest: (n) => `nullif(substr(:digests, key * 68 + ${DIGESTS[n][0]}, ${DIGESTS[n][1]}), zeroblob(${DIGESTS[n][1]}))`,
  field: (n) => `(value ->> ${n})`,
  json: (n) => `(value ->> ${n})`,
};

const readers = new WeakMap<Db, RowsReader>();

/** How this connection reads rows: asked of the connection itself (once), whatever wraps it. */
export function rowsReader(db: Db): RowsReader {
  let reader = readers.get(db);
  if (reader === undefined) {
    try {
      // An extension built before the digest columns would not take the statements written for it.
      db.prepare(`SELECT d0 FROM custos_rows('[]', x'')`);
      reader = NATIVE;
    } catch {
      reader = SQLITE;
    }
    readers.set(db, reader);
  }
  return reader;
}
