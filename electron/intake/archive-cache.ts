// A worker reads many entries of the same archive, one locator at a time. Without memory of
// earlier opens, reaching entry i walks i central directory records (quadratic over an archive),
// and every entry of a nested archive re-inflates the whole nested archive. One cache per worker
// keeps, per archive, the central directory offsets seen so far, and the bytes of recently used
// nested archives within a memory budget. Evidence is read-only, so neither goes stale.

export type ArchiveCacheOptions = {
  /** Budget for nested archive bytes held in memory. */
  readonly maxBytes?: number;
  /** Archives whose central directory offsets are remembered. */
  readonly maxArchives?: number;
};

export class ArchiveCache {
  private readonly maxBytes: number;
  private readonly maxArchives: number;
  private readonly buffers = new Map<string, Buffer>();
  private bufferBytes = 0;
  private readonly cursors = new Map<string, number[]>();

  constructor(options: ArchiveCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.maxArchives = options.maxArchives ?? 64;
  }

  /** The bytes of a nested archive, most recently used last. */
  bytes(key: string): Buffer | undefined {
    const buffer = this.buffers.get(key);
    if (buffer !== undefined) {
      this.buffers.delete(key);
      this.buffers.set(key, buffer);
    }
    return buffer;
  }

  keepBytes(key: string, buffer: Buffer): void {
    if (buffer.length > this.maxBytes || this.buffers.has(key)) return;
    for (const [oldKey, old] of this.buffers) {
      if (this.bufferBytes + buffer.length <= this.maxBytes) break;
      this.buffers.delete(oldKey);
      this.bufferBytes -= old.length;
    }
    this.buffers.set(key, buffer);
    this.bufferBytes += buffer.length;
  }

  /**
   * Central directory offsets of an archive: element i is where record i starts. Known for a prefix
   * of the entries (a walk always starts at the beginning or at a known offset); callers extend it.
   */
  centralDirectory(key: string): number[] {
    let offsets = this.cursors.get(key);
    if (offsets === undefined) {
      offsets = [];
      if (this.cursors.size >= this.maxArchives) {
        const oldest = this.cursors.keys().next();
        if (oldest.done !== true) this.cursors.delete(oldest.value);
      }
    } else {
      this.cursors.delete(key);
    }
    this.cursors.set(key, offsets);
    return offsets;
  }

  /** Drops everything held (the worker is done with this source). */
  clear(): void {
    this.buffers.clear();
    this.bufferBytes = 0;
    this.cursors.clear();
  }
}
