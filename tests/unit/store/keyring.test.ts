import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newKeyring, readKeyring, unwrapMasterKey, wrapMasterKey, writeKeyring } from '../../../electron/store/keyring.js';

describe('key slots', () => {
  const master = randomBytes(32);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'custos-keyring-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('unwrap returns the master key for the right passphrase and null for a wrong one', async () => {
    const slot = await wrapMasterKey('alice', 'passphrase one', master);
    expect(slot.kdf).toMatchObject({ name: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });
    expect(Buffer.from(slot.kdf.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(slot.wrap.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(slot.wrap.ciphertext, 'base64')).toHaveLength(32);
    expect((await unwrapMasterKey(slot, 'passphrase one'))?.equals(master)).toBe(true);
    expect(await unwrapMasterKey(slot, 'passphrase two')).toBeNull();
  });

  it('a slot moved to another user name does not open (the user is in the AAD)', async () => {
    const slot = await wrapMasterKey('alice', 'passphrase one', master);
    expect(await unwrapMasterKey({ ...slot, user: 'mallory' }, 'passphrase one')).toBeNull();
  });

  it('passphrases are NFC-normalised: composed and decomposed accents are the same passphrase', async () => {
    const composed = 'contraseña de José'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const slot = await wrapMasterKey('jose', composed, master);
    expect((await unwrapMasterKey(slot, decomposed))?.equals(master)).toBe(true);
  });

  it('writes the design-doc format and reads it back', async () => {
    const slot = await wrapMasterKey('alice', 'passphrase one', master);
    writeKeyring(dir, newKeyring(slot));
    const json = JSON.parse(readFileSync(join(dir, 'keyring.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['format', 'version', 'slots']);
    expect(json).toMatchObject({ format: 'custos-keyring', version: 1 });
    expect(Object.keys(json.slots[0])).toEqual(['id', 'user', 'kdf', 'wrap']);
    expect(Object.keys(json.slots[0].wrap)).toEqual(['name', 'iv', 'tag', 'ciphertext']);
    expect(readKeyring(dir)).toEqual(newKeyring(slot));
  });
});
