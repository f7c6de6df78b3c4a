import { argon2id } from 'hash-wasm';

export type KdfParams = {
  readonly name: 'argon2id';
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly salt: string;
};

/** Defaults of the design doc; kept per slot so they can be raised later without breaking old slots. */
export const DEFAULT_KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 } as const;

/** KEK = Argon2id(NFC(passphrase) as UTF-8, salt, params), 32 bytes. */
export async function deriveKek(passphrase: string, params: KdfParams): Promise<Buffer> {
  const kek = await argon2id({
    password: new TextEncoder().encode(passphrase.normalize('NFC')),
    salt: Buffer.from(params.salt, 'base64'),
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
  return Buffer.from(kek);
}
