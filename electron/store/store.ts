// A store is a directory: custos.db (SQLCipher) + keyring.json (key slots). This module
// creates one and opens one for a user; what users may then do is the service's business.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Role, UserView } from '../api/contract.js';
import { CustosError } from './errors.js';
import { openDatabase, type Db } from './database.js';
import { newKeyring, readKeyring, slotFor, unwrapMasterKey, wrapMasterKey, writeKeyring } from './keyring.js';
import { migrate, type Migration } from './migrate.js';
import { findUser, insertUser } from './repositories/users.js';
import { setMeta } from './repositories/settings.js';

export const DB_FILE = 'custos.db';

export type OpenStore = {
  readonly dir: string;
  readonly db: Db;
  readonly user: { readonly name: string; readonly role: Role; readonly disabled: boolean };
  readonly masterKey: Buffer;
  /** Migrations this open applied (so the caller can record them in custody). */
  readonly migrated: readonly Migration[];
};

export function isInitialised(dir: string): boolean {
  return existsSync(join(dir, DB_FILE));
}

/**
 * Creates the store and its first admin. The database is built under a temporary name and
 * moved into place last, so a crash part-way leaves no custos.db and init can simply run again.
 * `seed` runs inside the first transaction (the service records store.create and user.add there).
 */
export async function createStore(dir: string, admin: string, passphrase: string, seed: (db: Db, now: string) => void): Promise<OpenStore> {
  if (isInitialised(dir)) throw new CustosError('already-initialised', `${dir} already holds a Custos store; nothing was changed`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = join(dir, `${DB_FILE}.partial`);
  for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });

  const masterKey = randomBytes(32);
  const slot = await wrapMasterKey(admin, passphrase, masterKey);
  const db = openDatabase(partial, masterKey, { create: true });
  try {
    migrate(db);
    const now = new Date().toISOString();
    db.transaction(() => {
      setMeta(db, 'store_id', randomUUID());
      setMeta(db, 'created_at', now);
      insertUser(db, { name: admin, role: 'admin', createdAt: now, createdBy: admin });
      seed(db, now);
    })();
  } finally {
    // Closing checkpoints the WAL into the file, so the rename below moves everything.
    db.close();
  }
  writeKeyring(dir, newKeyring(slot));
  renameSync(partial, join(dir, DB_FILE));
  return openForUser(dir, admin, masterKey);
}

/** Opens the store with a user's passphrase; the user must exist in the store and be enabled. */
export async function unlockStore(dir: string, user: string, passphrase: string): Promise<OpenStore> {
  if (!isInitialised(dir)) throw new CustosError('not-initialised', `no Custos store at ${dir} (create one with: custos init)`);
  const keyring = readKeyring(dir);
  const slot = slotFor(keyring, user);
  if (!slot) throw new CustosError('bad-credentials', `no key slot for '${user}': not a user of this store, or disabled`);
  const masterKey = await unwrapMasterKey(slot, passphrase);
  if (!masterKey) throw new CustosError('bad-credentials', `wrong passphrase for '${user}'`);
  return openForUser(dir, user, masterKey);
}

function openForUser(dir: string, user: string, masterKey: Buffer): OpenStore {
  const db = openDatabase(join(dir, DB_FILE), masterKey, { create: false });
  try {
    const migrated = migrate(db);
    const row: UserView | undefined = findUser(db, user);
    if (!row) throw new CustosError('bad-credentials', `'${user}' holds a key slot but is not a user of this store`);
    // A disabled user is returned open, not refused here, so the caller can record the refusal
    // in custody before closing.
    return { dir, db, user: { name: row.name, role: row.role, disabled: row.disabled }, masterKey, migrated };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Adds or replaces the key slot of `user` (new user, reset or change of passphrase). */
export async function setKeySlot(open: OpenStore, user: string, passphrase: string): Promise<void> {
  const slot = await wrapMasterKey(user, passphrase, open.masterKey);
  const keyring = readKeyring(open.dir);
  writeKeyring(open.dir, { ...keyring, slots: [...keyring.slots.filter((s) => s.user !== user), slot] });
}

export function removeKeySlot(open: OpenStore, user: string): void {
  const keyring = readKeyring(open.dir);
  writeKeyring(open.dir, { ...keyring, slots: keyring.slots.filter((s) => s.user !== user) });
}

/** Checks a passphrase against the user's own slot without changing anything. */
export async function passphraseMatches(dir: string, user: string, passphrase: string): Promise<boolean> {
  const slot = slotFor(readKeyring(dir), user);
  return slot !== undefined && (await unwrapMasterKey(slot, passphrase)) !== null;
}

export function closeStore(open: OpenStore): void {
  open.masterKey.fill(0);
  open.db.close();
}
