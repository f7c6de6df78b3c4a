// Opens a key slot with nothing but the keyring.json format of the design doc, hash-wasm's
// Argon2id and node:crypto's AES-256-GCM: no project code, so the format stands on its own.
import { createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { argon2id } from 'hash-wasm';

type Slot = {
  user: string;
  kdf: { name: string; memoryKiB: number; iterations: number; parallelism: number; salt: string };
  wrap: { name: string; iv: string; tag: string; ciphertext: string };
};

export async function masterKeyFromKeyring(storeDir: string, user: string, passphrase: string): Promise<Buffer> {
  const ring = JSON.parse(readFileSync(join(storeDir, 'keyring.json'), 'utf8')) as { format: string; version: number; slots: Slot[] };
  if (ring.format !== 'custos-keyring' || ring.version !== 1) throw new Error('not a custos-keyring v1');
  const slot = ring.slots.find((s) => s.user === user);
  if (!slot || slot.kdf.name !== 'argon2id' || slot.wrap.name !== 'aes-256-gcm') throw new Error(`no usable slot for ${user}`);
  const kek = await argon2id({
    password: passphrase.normalize('NFC'),
    salt: Buffer.from(slot.kdf.salt, 'base64'),
    memorySize: slot.kdf.memoryKiB,
    iterations: slot.kdf.iterations,
    parallelism: slot.kdf.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(slot.wrap.iv, 'base64'));
  decipher.setAAD(Buffer.from(`custos-keyring/v1/${user}`, 'utf8'));
  decipher.setAuthTag(Buffer.from(slot.wrap.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(slot.wrap.ciphertext, 'base64')), decipher.final()]);
}
