// The import hashes its source file in the moments it waits for the reader thread; the digest
// must be the file's, however the slices fall, and a file that changes under the import must
// not be activated with a digest of something else.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdleFileHash } from '../../../electron/matching/idle-file-hash.js';
import { HashSetImportRun } from '../../../electron/matching/hashset-import.js';
import { listActiveSets } from '../../../electron/store/repositories/hashsets.js';
import { closeStore, createStore } from '../../../electron/store/store.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-idle-hash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// The digest both import threads advance needs custos-native on a CPU with the SHA extensions.
const sharable = new IdleFileHash(import.meta.filename, { shared: true });
const canShare = sharable.share !== null;
sharable.close();
if (!canShare) console.warn('[skipped] shared IdleFileHash tests: custos-native is not built, CUSTOS_NO_NATIVE=1, or the CPU has no SHA extensions');
const modes = [['one thread (node:crypto)', false] as const, ...(canShare ? [['shared (custos-native)', true] as const] : [])];

describe.each(modes)('IdleFileHash, %s', (_mode, shared) => {
  it.each([0, 1, 63, 64, 65, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 12_345])('gives the SHA-256 and size of a %i-byte file', (size) => {
    const bytes = randomBytes(size);
    const path = join(dir, `f-${size}`);
    writeFileSync(path, bytes);
    const hash = new IdleFileHash(path, { shared });
    expect(hash.share !== null).toBe(shared);
    hash.step();
    expect(hash.finish()).toEqual({ sha256: sha256(bytes), size });
    hash.close();
    hash.close();
  });

  it('never reads past the bytes it is told the reader has consumed', () => {
    const bytes = randomBytes(3 * (1 << 20));
    const path = join(dir, 'trailing');
    writeFileSync(path, bytes);
    const hash = new IdleFileHash(path, { shared });
    expect(hash.step(0)).toBe(false);
    // Shared, it hashes whole 64-byte blocks only until the end of the file.
    expect(hash.step(100)).toBe(true);
    expect(hash.step(100)).toBe(false);
    expect(hash.step((1 << 20) + 100)).toBe(true);
    expect(hash.step((1 << 20) + 100)).toBe(false);
    expect(hash.finish()).toEqual({ sha256: sha256(bytes), size: bytes.length });
    hash.close();
  });

  it('takes an estimated (fractional) progress without mistaking a short read for the end', () => {
    const bytes = randomBytes(2 * (1 << 20));
    const path = join(dir, 'estimated');
    writeFileSync(path, bytes);
    const hash = new IdleFileHash(path, { shared });
    // An RDSv3 reader's progress is a share of the file: 12 345.5 bytes.
    while (hash.step(12_345.5));
    expect(hash.step(12_345.5)).toBe(false);
    expect(hash.finish()).toEqual({ sha256: sha256(bytes), size: bytes.length });
    hash.close();
  });

  it('hashes while a promise is pending and settles as it does', async () => {
    const bytes = randomBytes(5 * (1 << 20));
    const path = join(dir, 'waiting');
    writeFileSync(path, bytes);
    const hash = new IdleFileHash(path, { shared });
    // Settles after a few turns of the event loop: the hash advances meanwhile, a slice a turn.
    const later = new Promise<string>((resolve) => setTimeout(() => resolve('value'), 5));
    await expect(hash.whileWaiting(later, bytes.length)).resolves.toBe('value');
    await expect(hash.whileWaiting(Promise.reject(new Error('reader failed')), bytes.length)).rejects.toThrow('reader failed');
    expect(hash.finish().sha256).toBe(sha256(bytes));
    hash.close();
  });
});

describe.skipIf(!canShare)('IdleFileHash shared by two hashes of one file', () => {
  it.each([0, 63, 64, 65, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 12_345])('gives the %i-byte file\'s digest whichever of them hashes each slice', (size) => {
    const bytes = randomBytes(size);
    const path = join(dir, `shared-${size}`);
    writeFileSync(path, bytes);
    const first = new IdleFileHash(path, { shared: true });
    const second = new IdleFileHash(path, { share: first.share ?? undefined });
    // Turns taken at random, each trailing a reader at a different point.
    let read = 0;
    for (let turn = 0; read < size; turn++) {
      read = Math.min(size, read + Math.floor(Math.random() * 800_000));
      (turn % 3 === 0 ? second : first).step(read);
    }
    expect(first.finish()).toEqual({ sha256: sha256(bytes), size });
    first.close();
    second.close();
  });

  it('lets a thread that holds the digest finish its slice: the other steps aside, and finishing waits for it', async () => {
    const bytes = randomBytes(2 * (1 << 20) + 5);
    const path = join(dir, 'held');
    writeFileSync(path, bytes);
    const hash = new IdleFileHash(path, { shared: true });
    const share = hash.share as SharedArrayBuffer;
    // Another thread takes the lock (word 0) and lets it go 50 ms later.
    const holder = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const flags = new Int32Array(workerData, 0, 4);
       Atomics.compareExchange(flags, 0, 0, 1);
       parentPort.postMessage('held');
       setTimeout(() => { Atomics.store(flags, 0, 0); Atomics.notify(flags, 0); }, 50);`,
      { eval: true, workerData: share },
    );
    await new Promise((resolve) => holder.once('message', resolve));
    expect(hash.step()).toBe(false);
    const started = performance.now();
    expect(hash.finish()).toEqual({ sha256: sha256(bytes), size: bytes.length });
    expect(performance.now() - started).toBeGreaterThan(20);
    await holder.terminate();
    hash.close();
  });

  it('ends in an error, not a hang, when the thread holding the digest stopped without letting go', () => {
    const path = join(dir, 'abandoned');
    writeFileSync(path, randomBytes(1000));
    const hash = new IdleFileHash(path, { shared: true });
    // Word 0 is the lock: held, as by a thread terminated mid-slice.
    Atomics.store(new Int32Array(hash.share as SharedArrayBuffer, 0, 4), 0, 1);
    // Ten seconds pass at each look at the clock.
    let looks = 0;
    const now = vi.spyOn(Date, 'now').mockImplementation(() => 1_000_000 + 10_001 * looks++);
    try {
      expect(() => hash.finish()).toThrow("the hash-set file's digest was left locked by a stopped thread");
    } finally {
      now.mockRestore();
      hash.close();
    }
  });

  it('refuses a buffer that is not a shared digest', () => {
    expect(() => new IdleFileHash(import.meta.filename, { share: new SharedArrayBuffer(8) })).toThrow('not a shared file digest');
  });
});

describe('a hash-set import whose file changes under it', () => {
  it('fails, and keeps nothing of it', async () => {
    const store = await createStore(join(dir, 'store'), 'alice', 'correct horse battery staple', () => undefined);
    try {
      const path = join(dir, 'growing.md5');
      const line = (i: number) => `${createHash('md5').update(String(i)).digest('hex')}  f${i}.jpg\n`;
      writeFileSync(path, Array.from({ length: 2000 }, (_, i) => line(i)).join(''));
      const run = await HashSetImportRun.start(store.db, 1, { path, name: 'growing', format: 'md5', actor: 'alice' }, () => undefined);
      // The import has taken the file's size; it grows before the import ends.
      appendFileSync(path, line(2000));
      const view = await run.finished;
      expect(view.state).toBe('failed');
      expect(view.error).toMatch(/^growing\.md5 changed while it was being imported/);
      expect(listActiveSets(store.db)).toEqual([]);
      expect(store.db.prepare('SELECT count(*) AS n FROM hashset_entries').get()).toEqual({ n: 0 });
    } finally {
      closeStore(store);
    }
  });
});
