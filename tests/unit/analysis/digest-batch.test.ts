// The batch's digests must be node:crypto's, whichever way they are computed: MD5 in 16, 8 or 1
// lanes, SHA on the CPU's SHA extensions or through node:crypto, or without the addon at all;
// and files hashed at the same time must actually share a kernel call.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { DigestBatch, type DigestKernel } from '../../../electron/analysis/digest-batch.js';
import { nativeKernels } from '../../../electron/analysis/native-kernels.js';

const reference = (bytes: Uint8Array) => ({
  md5: createHash('md5').update(bytes).digest('hex'),
  sha1: createHash('sha1').update(bytes).digest('hex'),
  sha256: createHash('sha256').update(bytes).digest('hex'),
  size: bytes.length,
});

// Lengths around every padding boundary (55/56/63/64 bytes from a block edge) and a few larger.
const LENGTHS = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 65_599, 1_000_003];

/** Feeds each file to the batch in chunks of the given sizes (the last chunk is what is left), all files at once. */
async function hashTogether(batch: DigestBatch, files: readonly Uint8Array[], chunking: (file: number) => number) {
  return Promise.all(
    files.map(async (bytes, f) => {
      const stream = batch.open();
      let at = 0;
      for (;;) {
        const size = Math.min(bytes.length - at, chunking(f));
        const last = at + size === bytes.length;
        await stream.update(bytes.subarray(at, at + size), last);
        at += size;
        if (last) return stream.digests();
      }
    }),
  );
}

/** The native kernel with the SHA extensions switched off: MD5 native, SHA-1/SHA-256 node:crypto. */
function withoutSha(kernel: DigestKernel): DigestKernel {
  return { digestChunks: kernel.digestChunks.bind(kernel), md5Lanes: kernel.md5Lanes, shaExtensions: false };
}

/** Records how many streams each native call carried. */
function counting(kernel: DigestKernel, calls: number[]): DigestKernel {
  return {
    md5Lanes: kernel.md5Lanes,
    shaExtensions: kernel.shaExtensions,
    digestChunks: (states, chunks, totals, sha) => {
      calls.push(chunks.length);
      kernel.digestChunks(states, chunks, totals, sha);
    },
  };
}

const files = LENGTHS.map((n) => randomBytes(n));
const expected = files.map(reference);
// Chunk sizes that are whole blocks, and odd ones that leave a remainder to carry.
const CHUNKINGS: Record<string, (file: number) => number> = {
  'whole files': () => Number.MAX_SAFE_INTEGER,
  '4096-byte chunks': () => 4096,
  'odd chunks': (f) => 61 + 17 * f,
};

const kernels: [string, DigestKernel | null][] = [['node:crypto only (no addon)', null]];
if (nativeKernels) kernels.push(['custos-native', nativeKernels], ['custos-native MD5, node:crypto SHA', withoutSha(nativeKernels)]);
else console.warn('custos-native not built: only the node:crypto path is tested');

describe('digest batch', () => {
  for (const [name, kernel] of kernels) {
    for (const [chunkName, chunking] of Object.entries(CHUNKINGS)) {
      it(`${name}, ${chunkName}: the digests of node:crypto`, async () => {
        expect(await hashTogether(new DigestBatch(kernel), files, chunking)).toEqual(expected);
      });
    }
  }

  it('files read at the same time share kernel calls', async (ctx) => {
    if (!nativeKernels || nativeKernels.md5Lanes < 2) return ctx.skip();
    const calls: number[] = [];
    await hashTogether(new DigestBatch(counting(nativeKernels, calls)), files, () => 4096);
    expect(Math.max(...calls)).toBeGreaterThan(1);
    // Never more than the lanes in one call (the batch flushes when it has that many).
    expect(Math.max(...calls)).toBeLessThanOrEqual(nativeKernels.md5Lanes);
  });

  it('buffers held whole are hashed with the next batch, or when their digests are asked for', async () => {
    const calls: number[] = [];
    const batch = new DigestBatch(nativeKernels ? counting(nativeKernels, calls) : null);
    const later = files.slice(0, 3).map((bytes) => batch.later(bytes));
    expect(calls).toEqual([]);
    const streamed = hashTogether(batch, files.slice(3), () => 4096);
    expect(await Promise.all(later.map((l) => l.digests()))).toEqual(expected.slice(0, 3));
    expect(await streamed).toEqual(expected.slice(3));
    if (nativeKernels && nativeKernels.md5Lanes > 1) expect(calls[0]).toBeGreaterThan(3);
  });

  it('refuses a second update while one is pending, and any after the last', async () => {
    const batch = new DigestBatch(nativeKernels);
    const stream = batch.open();
    const first = stream.update(new Uint8Array(64));
    expect(() => stream.update(new Uint8Array(64))).toThrow(/one update at a time/);
    await first;
    await stream.update(new Uint8Array(3), true);
    expect(() => stream.update(new Uint8Array(1))).toThrow(/none after the last/);
    expect(stream.digests()).toEqual(reference(new Uint8Array(67)));
  });

  it('native digestChunks refuses chunks that are not whole blocks before the last', (ctx) => {
    const native = nativeKernels;
    if (!native) return ctx.skip();
    const states = new Uint32Array(17);
    expect(() => native.digestChunks(states, [new Uint8Array(65)], new Float64Array([-1]), false)).toThrow(/whole 64-byte blocks/);
    expect(() => native.digestChunks(states, [new Uint8Array(64)], new Float64Array([10]), false)).toThrow(/total length/);
    expect(() => native.digestChunks(new Uint32Array(4), [new Uint8Array(64)], new Float64Array([-1]), false)).toThrow(/states and totals/);
  });

  // The lane width is fixed when the addon loads: each narrower path runs in a process of its own.
  for (const lanes of [8, 1]) {
    it(`MD5 in ${lanes} lane(s) gives node:crypto's digests`, (ctx) => {
      if (!nativeKernels || nativeKernels.md5Lanes < lanes) return ctx.skip();
      const addon = createRequire(import.meta.url).resolve('custos-native');
      const script = `
        const n = require(${JSON.stringify(addon)}), c = require('node:crypto');
        if (n.md5Lanes !== ${lanes}) throw new Error('lanes ' + n.md5Lanes);
        const lengths = ${JSON.stringify(LENGTHS)}, init = ${JSON.stringify([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476])};
        const bufs = lengths.map((l) => c.randomBytes(l)), states = new Uint32Array(17 * lengths.length);
        lengths.forEach((_, i) => states.set(init, 17 * i));
        n.digestChunks(states, bufs, new Float64Array(lengths), false);
        const bad = bufs.filter((b, i) => Buffer.from(states.buffer, 68 * i, 16).toString('hex') !== c.createHash('md5').update(b).digest('hex'));
        process.stdout.write(String(bad.length));`;
      const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, CUSTOS_MD5_LANES: String(lanes) }, encoding: 'utf8' });
      expect(out).toBe('0');
    });
  }
});
