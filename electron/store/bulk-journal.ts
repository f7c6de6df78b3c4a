// While a hash set is bulk-loaded the store keeps a rollback journal instead of its WAL.
//
// SQLite3 Multiple Ciphers encrypts WAL frames as it encrypts database pages, so in WAL mode each
// new page is encrypted and authenticated three times: written to the WAL, read back by the
// checkpoint, written to the database. A page appended under a rollback journal is written once
// (pages past the old end of the file need no journal entry): 84 against 213 MB/s here (bench:match).
// Both modes survive a crash: a hot journal is rolled back by the next open before anything is
// read, and every open puts the store back in WAL (database.ts).
import type { Db } from './database.js';

const holders = new WeakMap<Db, number>();

function journalMode(db: Db): string {
  return String(db.pragma('journal_mode', { simple: true })).toLowerCase();
}

function setJournalMode(db: Db, mode: 'delete' | 'wal'): boolean {
  try {
    return String(db.pragma(`journal_mode = ${mode}`, { simple: true })).toLowerCase() === mode;
  } catch {
    // Busy (another process has the store open) or inside a transaction: stay as we are.
    return false;
  }
}

/**
 * Switches the store to a rollback journal until the returned release is called (by every holder,
 * when bulk loads overlap). Where it cannot switch (another process has the store open, a
 * transaction is open) the store stays in WAL: slower, never wrong.
 */
export function holdRollbackJournal(db: Db): () => void {
  const held = holders.get(db) ?? 0;
  if (held === 0 && (db.inTransaction || journalMode(db) !== 'wal' || !setJournalMode(db, 'delete'))) return () => undefined;
  holders.set(db, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (holders.get(db) ?? 1) - 1;
    holders.set(db, left);
    // A store left in rollback mode (busy now) is put back in WAL by its next open.
    if (left === 0 && db.open && !db.inTransaction) setJournalMode(db, 'wal');
  };
}
