// The digests of every file a worker has in hand, advanced together. MD5 is a chain of 64
// dependent steps per block, so one file runs at the latency of that chain (about 660 MB/s
// here, half the cost of the three digests); custos-native runs up to 16 files side by side in
// SIMD lanes in about the time of one. SHA-1 and SHA-256 go through the CPU's SHA instructions
// in custos-native where it has them, else through node:crypto; without the addon, all three do.
import { createHash, type Hash } from 'node:crypto';
import type { Digests } from './digests.js';
import { nativeKernels } from './native-kernels.js';

export type DigestKernel = {
  digestChunks(states: Uint32Array, chunks: readonly Uint8Array[], totals: Float64Array, sha: boolean): void;
  readonly md5Lanes: number;
  readonly shaExtensions: boolean;
};

// One stream's state words for digestChunks: MD5 (4), SHA-1 (5), SHA-256 (8), initial values.
const STATE_WORDS = 17;
const INITIAL_STATE = [
  0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0, 0x6a09e667, 0xbb67ae85,
  0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
] as const;

type Queued = {
  readonly digest: BatchedDigest;
  readonly chunk: Uint8Array;
  readonly last: boolean;
  /** The caller is waiting for this one: flush at the next turn of the event loop. */
  urgent: boolean;
  readonly settle: { resolve: () => void; reject: (err: unknown) => void };
};

/** One file's digests, fed through its batch. What node:crypto computes is held as Hash objects. */
class BatchedDigest {
  readonly state = new Uint32Array(INITIAL_STATE);
  readonly md5: Hash | null;
  readonly sha: { sha1: Hash; sha256: Hash } | null;
  /** Bytes after the last whole 64-byte block, carried to the next chunk. */
  tail = new Uint8Array(0);
  size = 0;
  result: Digests | null = null;

  constructor(kernel: DigestKernel | null) {
    this.md5 = kernel === null ? createHash('md5') : null;
    this.sha = kernel?.shaExtensions === true ? null : { sha1: createHash('sha1'), sha256: createHash('sha256') };
  }
}

/** The result of hashing a whole buffer, computed with whatever else the batch holds. */
export type LaterDigests = { readonly digests: () => Promise<Digests> };

export class DigestBatch {
  readonly #kernel: DigestKernel | null;
  readonly #maxBatch: number;
  #queue: Queued[] = [];
  #scheduled = false;

  constructor(kernel: DigestKernel | null = nativeKernels) {
    this.#kernel = kernel;
    this.#maxBatch = Math.max(1, kernel?.md5Lanes ?? 1);
  }

  /**
   * For a file read in chunks: the caller awaits each update before reading on (and may then
   * reuse the chunk's memory), and finishes with `last`.
   */
  open(): { update(chunk: Uint8Array, last?: boolean): Promise<void>; readonly digests: () => Digests } {
    const digest = new BatchedDigest(this.#kernel);
    return {
      update: (chunk, last = false) => {
        if (digest.result !== null || this.#queue.some((q) => q.digest === digest)) throw new Error('one update at a time, none after the last');
        return this.#enqueue(digest, chunk, last, true).done;
      },
      digests: () => {
        if (digest.result === null) throw new Error('digests read before the last chunk');
        return digest.result;
      },
    };
  }

  /**
   * For a file held whole: hashed with the next batch, or at once when `digests()` is called. An
   * image's hashing waits for other images to share its MD5 lanes while decodes keep the cores busy.
   */
  later(bytes: Uint8Array): LaterDigests {
    const digest = new BatchedDigest(this.#kernel);
    const { item, done } = this.#enqueue(digest, bytes, true, false);
    return {
      digests: async () => {
        if (digest.result === null) {
          item.urgent = true;
          this.#check();
          await done;
        }
        if (digest.result === null) throw new Error('digest batch flushed without a result');
        return digest.result;
      },
    };
  }

  #enqueue(digest: BatchedDigest, chunk: Uint8Array, last: boolean, urgent: boolean): { item: Queued; done: Promise<void> } {
    let settle: Queued['settle'] = { resolve: () => undefined, reject: () => undefined };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    const item: Queued = { digest, chunk, last, urgent, settle };
    this.#queue.push(item);
    this.#check();
    return { item, done };
  }

  #check(): void {
    if (this.#queue.length >= this.#maxBatch) {
      this.#flush();
      return;
    }
    // Not at once: the files whose opens or reads are still on their way get the current turn
    // of the event loop to join (a file read chunk by chunk would otherwise run to its end
    // alone, in microtasks, while the others wait for their I/O callbacks).
    if (this.#scheduled || !this.#queue.some((q) => q.urgent)) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#queue.some((q) => q.urgent)) this.#flush();
    });
  }

  #flush(): void {
    const items = this.#queue.splice(0);
    try {
      this.#native(items);
      for (const { digest, chunk, last } of items) {
        digest.md5?.update(chunk);
        digest.sha?.sha1.update(chunk);
        digest.sha?.sha256.update(chunk);
        digest.size += chunk.length;
        if (last) {
          digest.result = {
            md5: digest.md5?.digest('hex') ?? wordsHex(digest.state, 0, 4, false),
            sha1: digest.sha?.sha1.digest('hex') ?? wordsHex(digest.state, 4, 5, true),
            sha256: digest.sha?.sha256.digest('hex') ?? wordsHex(digest.state, 9, 8, true),
            size: digest.size,
          };
        }
      }
    } catch (err) {
      for (const { settle } of items) settle.reject(err);
      return;
    }
    for (const { settle } of items) settle.resolve();
  }

  // Every queued chunk in one call. A chunk that is not the last must reach the kernel as whole
  // blocks: its remainder waits for the next chunk.
  #native(items: readonly Queued[]): void {
    const kernel = this.#kernel;
    if (kernel === null || items.length === 0) return;
    const states = new Uint32Array(items.length * STATE_WORDS);
    const totals = new Float64Array(items.length);
    const chunks = items.map(({ digest, chunk, last }, i) => {
      let data = chunk;
      if (digest.tail.length > 0) {
        data = new Uint8Array(digest.tail.length + chunk.length);
        data.set(digest.tail);
        data.set(chunk, digest.tail.length);
      }
      const whole = last ? data.length : data.length - (data.length % 64);
      digest.tail = data.slice(whole);
      states.set(digest.state, i * STATE_WORDS);
      totals[i] = last ? digest.size + chunk.length : -1;
      return data.subarray(0, whole);
    });
    kernel.digestChunks(states, chunks, totals, kernel.shaExtensions);
    items.forEach(({ digest }, i) => digest.state.set(states.subarray(i * STATE_WORDS, (i + 1) * STATE_WORDS)));
  }
}

function wordsHex(state: Uint32Array, first: number, count: number, bigEndian: boolean): string {
  const out = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) {
    const word = state[first + i] ?? 0;
    if (bigEndian) out.writeUInt32BE(word, i * 4);
    else out.writeUInt32LE(word, i * 4);
  }
  return out.toString('hex');
}
