// Someone holding a passphrase and keyring.json must be able to open custos.db with stock
// SQLCipher (here Signal's build of SQLCipher community, a different library from ours).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from '@signalapp/sqlcipher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASS, asAliceOn, initStore, type TempStore } from './cli-harness.js';
import { masterKeyFromKeyring } from './independent-key.js';

describe('independent open of a store', () => {
  let t: TempStore;
  beforeAll(() => {
    t = initStore();
    expect(asAliceOn(t, ['case', 'create', '--number', 'SV-2026-0042', '--title', 'Operación Colibrí']).code).toBe(0);
  });
  afterAll(() => t.dispose());

  it('stock SQLCipher 4 opens custos.db with the key unwrapped from keyring.json', async () => {
    const key = await masterKeyFromKeyring(t.dir, 'alice', ADMIN_PASS);
    const db = new Database(join(t.dir, 'custos.db'));
    try {
      const version = db.pragma('cipher_version', { simple: true });
      expect(String(version)).toMatch(/^4\./);
      db.pragma(`key = "x'${key.toString('hex')}'"`);
      expect(db.prepare('SELECT number, title FROM cases').all()).toEqual([{ number: 'SV-2026-0042', title: 'Operación Colibrí' }]);
      const actions = db.prepare('SELECT action FROM custody_events ORDER BY seq').all().map((r) => r.action);
      expect(actions.slice(0, 3)).toEqual(['store.create', 'user.add', 'session.unlock']);
      expect(actions).toContain('case.create');
    } finally {
      db.close();
    }
  });

  it('the same tool with a wrong key cannot read it', () => {
    const db = new Database(join(t.dir, 'custos.db'));
    try {
      db.pragma(`key = "x'${'11'.repeat(32)}'"`);
      expect(() => db.prepare('SELECT count(*) FROM sqlite_master').all()).toThrow();
    } finally {
      db.close();
    }
  });

  it('custos.db has no SQLite header and none of the plaintext written to it', () => {
    const bytes = readFileSync(join(t.dir, 'custos.db'));
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    for (const plain of ['SQLite format 3', 'Colibr', 'SV-2026-0042', 'alice', 'custody_events', 'case.create']) {
      expect(bytes.includes(Buffer.from(plain, 'utf8')), plain).toBe(false);
    }
  });
});
