// A chunk's buffers (a few MB) go to the engine thread and come back with its acknowledgement, to
// be filled again. Allocated afresh for each chunk, they were garbage in both threads: dead
// ArrayBuffers are external memory, which V8 collects late (in a 1 M-entry VICS import the engine
// thread's external memory peaked at 55-83 MB; pooled, 37-40). Pooled, the import holds a few
// chunks' worth whatever the file's size.

/** Buffers kept for reuse: three per chunk, for the chunks in flight and the one being packed. */
const MAX_POOLED = 12;
/** New buffers are rounded up to this, so that chunks of slightly different sizes fit the same ones. */
const GRAIN = 64 << 10;

export class BufferPool {
  #free: ArrayBuffer[] = [];

  /** Buffers no one else holds any more (the engine's, transferred back, or this thread's own). */
  give(buffers: readonly ArrayBuffer[]): void {
    // A detached buffer (transferred away) has no bytes.
    for (const b of buffers) if (b.byteLength > 0) this.#free.push(b);
    // Past the bound, the smallest go (to the collector): the large ones are the costly to remake.
    if (this.#free.length > MAX_POOLED) this.#free = this.#free.sort((a, b) => b.byteLength - a.byteLength).slice(0, MAX_POOLED);
  }

  /** A buffer of at least `bytes`: the smallest pooled one that fits, else a new one. */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    this.#free.forEach((b, i) => {
      if (b.byteLength >= bytes && (best < 0 || b.byteLength < (this.#free[best]?.byteLength ?? 0))) best = i;
    });
    if (best >= 0) return this.#free.splice(best, 1)[0] as ArrayBuffer;
    return new ArrayBuffer(Math.max(GRAIN, Math.ceil(bytes / GRAIN) * GRAIN));
  }
}

/**
 * Bytes appended into a pooled buffer, growing into larger ones as needed. Each take's bytes
 * start in a buffer as large as the last take's: chunks are alike, so they seldom grow, and the
 * pool holds a few buffers of that size rather than every size of a doubling.
 */
export class PooledBytes {
  #bytes: Uint8Array = new Uint8Array(0);
  #length = 0;
  #lastTaken = 0;

  constructor(private readonly pool: BufferPool) {}

  get length(): number {
    return this.#length;
  }

  append(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  appendByte(byte: number): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = byte;
  }

  /** What was appended since the last take, a view of a buffer that holds nothing else (transferable); starts afresh. */
  take(): Uint8Array {
    const taken = this.#bytes.subarray(0, this.#length);
    this.#lastTaken = this.#length;
    this.#bytes = new Uint8Array(0);
    this.#length = 0;
    return taken;
  }

  #reserve(more: number): void {
    const needed = this.#length + more;
    if (needed <= this.#bytes.length) return;
    const grown = new Uint8Array(this.pool.take(Math.max(needed, this.#bytes.length * 2, this.#lastTaken)));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.pool.give([this.#bytes.buffer as ArrayBuffer]);
    this.#bytes = grown;
  }
}
