import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export type KdfParams = {
  readonly name: 'argon2id';
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly salt: string;
};

/** Defaults of the design doc; kept per slot so they can be raised later without breaking old slots. */
export const DEFAULT_KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 } as const;

/** Bundles carry the worker next to them (scripts/build-electron.mjs); the sources run the .mjs as it is. */
function workerFile(): URL {
  const bundled = new URL('./kdf-worker.js', import.meta.url);
  return existsSync(fileURLToPath(bundled)) ? bundled : new URL('./kdf-worker.mjs', import.meta.url);
}

/**
 * KEK = Argon2id(NFC(passphrase) as UTF-8, salt, params), 32 bytes, derived on a short-lived thread
 * (kdf-worker.mjs): its memory, passphrase-derived, leaves with it, and the engine's thread is free
 * meanwhile.
 */
export async function deriveKek(passphrase: string, params: KdfParams): Promise<Buffer> {
  const worker = new Worker(workerFile(), {
    workerData: {
      password: new TextEncoder().encode(passphrase.normalize('NFC')),
      salt: Buffer.from(params.salt, 'base64'),
      memorySize: params.memoryKiB,
      iterations: params.iterations,
      parallelism: params.parallelism,
    },
  });
  try {
    const key = await new Promise<Uint8Array>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the key derivation stopped (exit code ${code})`)));
    });
    return Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  } finally {
    await worker.terminate();
  }
}
