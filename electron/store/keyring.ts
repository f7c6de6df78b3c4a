// keyring.json: one key slot per user, each wrapping the same 256-bit master key under a
// KEK derived from that user's passphrase. The format is the design doc's, byte for byte,
// so anyone with a passphrase and this file can open custos.db with stock SQLCipher.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CustosError } from './errors.js';
import { DEFAULT_KDF, deriveKek, type KdfParams } from './kdf.js';

export const KEYRING_FILE = 'keyring.json';

const base64Of = (bytes: number) =>
  z.string().refine((s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && Buffer.from(s, 'base64').length === bytes, {
    message: `must be base64 of ${bytes} bytes`,
  });

const slotSchema = z.object({
  id: z.string().uuid(),
  user: z.string().min(1),
  kdf: z.object({
    name: z.literal('argon2id'),
    memoryKiB: z.number().int().min(8).max(4 * 1024 * 1024),
    iterations: z.number().int().min(1).max(100),
    parallelism: z.number().int().min(1).max(16),
    salt: base64Of(16),
  }),
  wrap: z.object({
    name: z.literal('aes-256-gcm'),
    iv: base64Of(12),
    tag: base64Of(16),
    ciphertext: base64Of(32),
  }),
});

const keyringSchema = z.object({
  format: z.literal('custos-keyring'),
  version: z.literal(1),
  slots: z.array(slotSchema),
});

export type KeySlot = z.infer<typeof slotSchema>;
export type Keyring = z.infer<typeof keyringSchema>;

function aad(user: string): Buffer {
  return Buffer.from(`custos-keyring/v1/${user}`, 'utf8');
}

export function readKeyring(storeDir: string): Keyring {
  const path = join(storeDir, KEYRING_FILE);
  if (!existsSync(path)) throw new CustosError('keyring-invalid', `no keyring at ${path}: not a Custos store, or its keyring.json is missing`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CustosError('keyring-invalid', `${path} is not valid JSON: the keyring is corrupt`);
  }
  const parsed = keyringSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CustosError('keyring-invalid', `${path} is not a valid Custos keyring (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

/** Replace keyring.json atomically: a crash leaves either the old or the new file, never half of one. */
export function writeKeyring(storeDir: string, keyring: Keyring): void {
  const path = join(storeDir, KEYRING_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dirFd = openSync(storeDir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Directories cannot be opened for fsync on Windows; the rename is still atomic there.
  }
}

export async function wrapMasterKey(user: string, passphrase: string, masterKey: Buffer): Promise<KeySlot> {
  const kdf: KdfParams = { name: 'argon2id', ...DEFAULT_KDF, salt: randomBytes(16).toString('base64') };
  const kek = await deriveKek(passphrase, kdf);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(user));
  const ciphertext = Buffer.concat([cipher.update(masterKey), cipher.final()]);
  return {
    id: randomUUID(),
    user,
    kdf,
    wrap: { name: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') },
  };
}

/** The master key, or null when the passphrase (or the slot) is wrong: GCM cannot tell those apart. */
export async function unwrapMasterKey(slot: KeySlot, passphrase: string): Promise<Buffer | null> {
  const kek = await deriveKek(passphrase, slot.kdf);
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(slot.wrap.iv, 'base64'));
  decipher.setAAD(aad(slot.user));
  decipher.setAuthTag(Buffer.from(slot.wrap.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(slot.wrap.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

export function slotFor(keyring: Keyring, user: string): KeySlot | undefined {
  return keyring.slots.find((s) => s.user === user);
}

export function newKeyring(slot: KeySlot): Keyring {
  return { format: 'custos-keyring', version: 1, slots: [slot] };
}
