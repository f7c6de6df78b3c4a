// A hash-set file's SHA-256 (it goes into custody), computed a slice at a time in the moments the
// import waits, rather than in a pass of its own before the import: about 0.4 s for a 400 MB
// file, a sixth of an NSRL import. It trails the reader (never past the bytes the reader has
// consumed), so it reads what the page cache has just been given: no second stream of reads
// competing for a slow disk, and no read that blocks a thread for long.
//
// With custos-native on a CPU with the SHA extensions the digest's state lives in a
// SharedArrayBuffer and both of the import's threads advance it, whichever is waiting at the
// moment (a try-lock decides; each reads with its own descriptor): neither has to carry the
// whole hash. Elsewhere one thread hashes through node:crypto, as the import decides.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { nativeAddon } from '../native/custos-native.js';

// Small enough that a chunk arriving mid-slice waits well under a millisecond; whole blocks.
const SLICE = 1 << 20;
const BLOCK = 64;
/** Flags (16 bytes), position (8), state (32), tail (a block). */
const SHARED_BYTES = 56 + BLOCK;
/** A slice takes about a millisecond: a lock held this long is held by a thread that has stopped. */
const LOCK_WAIT_MS = 10_000;
const SHA256_INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

type Sha256Update = (state: Uint32Array, data: Uint8Array, total: number) => void;

function nativeSha256(): Sha256Update | null {
  const native = nativeAddon<{ shaExtensions: boolean; sha256Update: Sha256Update }>();
  return native?.shaExtensions === true && typeof native.sha256Update === 'function' ? native.sha256Update : null;
}

let sha256Update: Sha256Update | null | undefined;

/** The shared digest's fields, in one SharedArrayBuffer. */
class SharedDigest {
  // [lock, done, tail length]
  readonly flags: Int32Array;
  readonly position: Float64Array;
  readonly state: Uint32Array;
  readonly tail: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    if (buffer.byteLength !== SHARED_BYTES) throw new Error('not a shared file digest');
    this.flags = new Int32Array(buffer, 0, 4);
    this.position = new Float64Array(buffer, 16, 1);
    this.state = new Uint32Array(buffer, 24, 8);
    this.tail = new Uint8Array(buffer, 56, BLOCK);
  }

  static create(): SharedDigest {
    const digest = new SharedDigest(new SharedArrayBuffer(SHARED_BYTES));
    digest.state.set(SHA256_INITIAL);
    return digest;
  }

  tryLock(): boolean {
    return Atomics.compareExchange(this.flags, 0, 0, 1) === 0;
  }

  unlock(): void {
    Atomics.store(this.flags, 0, 0);
    Atomics.notify(this.flags, 0);
  }

  /**
   * Waits for the lock: briefly, the other thread holds it for one slice. A thread stopped while
   * holding it (terminated mid-slice) would hold it forever: that ends in an error, not a hang.
   */
  lock(): void {
    const gaveUpAt = Date.now() + LOCK_WAIT_MS;
    while (!this.tryLock()) {
      if (Date.now() > gaveUpAt) throw new Error("the hash-set file's digest was left locked by a stopped thread");
      Atomics.wait(this.flags, 0, 1, 5);
    }
  }

  get done(): boolean {
    return Atomics.load(this.flags, 1) === 1;
  }
}

export class IdleFileHash {
  readonly #fd: number;
  readonly #slice = Buffer.allocUnsafe(SLICE);
  readonly #local: Hash | null;
  readonly #shared: SharedDigest | null;
  readonly #update: Sha256Update | null;
  #position = 0;
  #done = false;
  #closed = false;

  /**
   * `share`: the buffer of another thread's hash of the same file (its `share`), to advance the
   * same digest; `shared`: start a digest both threads can advance (ignored where the native
   * SHA-256 is missing, `share` then being null).
   */
  constructor(path: string, options: { readonly share?: SharedArrayBuffer; readonly shared?: boolean } = {}) {
    sha256Update ??= nativeSha256();
    const share = options.share ?? null;
    if (share !== null && sha256Update === null) throw new Error('a shared file hash needs custos-native with the SHA extensions');
    this.#update = sha256Update;
    this.#shared = share !== null ? new SharedDigest(share) : options.shared === true && sha256Update !== null ? SharedDigest.create() : null;
    this.#local = this.#shared === null ? createHash('sha256') : null;
    this.#fd = openSync(path, 'r');
  }

  /** The buffer another thread passes to its own IdleFileHash of this file, or null when this hash is this thread's alone. */
  get share(): SharedArrayBuffer | null {
    return this.#shared?.buffer ?? null;
  }

  /** Hashes the next slice, not past `upTo` bytes; false when there is nothing to do (up to there, at all, or the other thread is at it). */
  step(upTo = Number.POSITIVE_INFINITY): boolean {
    return this.#shared === null ? this.#stepLocal(upTo) : this.#stepShared(upTo);
  }

  #stepLocal(upTo: number): boolean {
    // Readers report estimated progress (fractional bytes): a read of under one byte returns 0,
    // which must not pass for the end of the file.
    const limit = Math.floor(upTo);
    if (this.#done || this.#position >= limit) return false;
    const n = readSync(this.#fd, this.#slice, 0, Math.min(SLICE, limit - this.#position), this.#position);
    if (n === 0) {
      this.#done = true;
      return false;
    }
    this.#local?.update(this.#slice.subarray(0, n));
    this.#position += n;
    return true;
  }

  #stepShared(upTo: number): boolean {
    const shared = this.#shared as SharedDigest;
    if (shared.done || !shared.tryLock()) return false;
    try {
      const position = shared.position[0] ?? 0;
      // Whole blocks only until the end of the file: the tail waits for the padding.
      const limit = Math.floor(upTo / BLOCK) * BLOCK;
      if (shared.done || position >= limit) return false;
      const wanted = Math.min(SLICE, limit - position);
      const n = readSync(this.#fd, this.#slice, 0, wanted, position);
      const whole = n - (n % BLOCK);
      if (whole > 0) this.#update?.(shared.state, this.#slice.subarray(0, whole), -1);
      if (n < wanted) {
        shared.tail.set(this.#slice.subarray(whole, n));
        shared.flags[2] = n - whole;
        Atomics.store(shared.flags, 1, 1);
      }
      shared.position[0] = position + n;
      return n > 0;
    } finally {
      shared.unlock();
    }
  }

  /** Hashes what is left and returns the hex digest (one thread finishes a shared hash, once the other has stopped). */
  finish(): { readonly sha256: string; readonly size: number } {
    const shared = this.#shared;
    if (shared === null) {
      while (this.step());
      return { sha256: (this.#local as Hash).digest('hex'), size: this.#position };
    }
    while (!shared.done) {
      if (this.step()) continue;
      // The other thread holds the lock for a slice: wait for it to let go.
      shared.lock();
      shared.unlock();
    }
    const size = shared.position[0] ?? 0;
    const state = Uint32Array.from(shared.state);
    this.#update?.(state, shared.tail.slice(0, shared.flags[2]), size);
    const digest = Buffer.alloc(32);
    state.forEach((word, k) => digest.writeUInt32BE(word, k * 4));
    return { sha256: digest.toString('hex'), size };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }

  /** Resolves as `pending` does, hashing a slice at a time (not past `upTo` bytes) until it settles. */
  async whileWaiting<T>(pending: Promise<T>, upTo: number): Promise<T> {
    let settled = false;
    const outcome = pending.finally(() => {
      settled = true;
    });
    // Handled now, not only at the await below: a rejection while slices are being hashed would
    // otherwise be reported as unhandled (and end the process).
    outcome.catch(() => undefined);
    // setImmediate, not a microtask: the worker's message is delivered in the poll phase between.
    while (!settled && this.step(upTo)) await new Promise<void>((resolve) => setImmediate(resolve));
    return outcome;
  }
}
