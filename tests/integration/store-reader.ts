// Reads a store's tables with stock SQLCipher and the key from keyring.json: assertions about
// what was written, without going through the code under test.
import { join } from 'node:path';
import Database from '@signalapp/sqlcipher';
import { masterKeyFromKeyring } from './independent-key.js';

export async function withRawStore<T>(storeDir: string, user: string, passphrase: string, fn: (db: Database) => T): Promise<T> {
  const key = await masterKeyFromKeyring(storeDir, user, passphrase);
  const db = new Database(join(storeDir, 'custos.db'));
  try {
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    return fn(db);
  } finally {
    db.close();
  }
}
