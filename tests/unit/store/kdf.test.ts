// The KEK is derived on a thread of its own: the same bytes as Argon2id run in place, and a
// failure there is an error here, not a hang.
import { randomBytes } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { deriveKek, type KdfParams } from '../../../electron/store/kdf.js';

describe('deriveKek', () => {
  it('gives Argon2id of the NFC passphrase, as hash-wasm computes it in place', async () => {
    const params: KdfParams = { name: 'argon2id', memoryKiB: 1024, iterations: 2, parallelism: 1, salt: randomBytes(16).toString('base64') };
    // 'é' composed and decomposed derive the same key.
    const kek = await deriveKek('cafe\u0301 con leche', params);
    const expected = await argon2id({
      password: new TextEncoder().encode('café con leche'),
      salt: Buffer.from(params.salt, 'base64'),
      memorySize: 1024,
      iterations: 2,
      parallelism: 1,
      hashLength: 32,
      outputType: 'binary',
    });
    expect(kek).toHaveLength(32);
    expect(kek.equals(Buffer.from(expected))).toBe(true);
    expect((await deriveKek('cafe con leche', params)).equals(kek)).toBe(false);
  });

  it('rejects when the derivation fails on its thread', async () => {
    await expect(deriveKek('x', { name: 'argon2id', memoryKiB: 1, iterations: 1, parallelism: 1, salt: randomBytes(16).toString('base64') })).rejects.toThrow(/memory/i);
  });
});
