// How a chunk of entries travels from the reader thread to the store: digests packed ENTRY_STRIDE
// bytes each, 16-byte identities, and the other fields as one JSON array in UTF-8 that SQLite
// parses (insertPackedEntries). A pure function of the entries: the worker sends what it returns.
import { utf8Rows, type ImportedEntry, type PrepackedEntries } from '../importers/index.js';
import { recordKeys } from '../key-sort.js';
import { BufferPool, PooledBytes } from './buffer-pool.js';
import { identityRecords, IDENTITY_WIDTH } from './identity.js';
import { ENTRY_STRIDE } from './protocol.js';

export type PackedEntries = {
  /** JSON array of [pdq hex, pdq quality, PhotoDNA, category, series, victim identified 0/1, file name, file size, extra, blockhash hex] in UTF-8: extra is the object itself, not a string of its JSON escaped again (->> gives an object's JSON text). */
  readonly rows: Uint8Array;
  /** SHA-256, SHA-1, MD5 at ENTRY_STRIDE bytes per entry, zeros where absent. */
  readonly digests: Uint8Array;
  /** 16 bytes per entry. */
  readonly identities: Uint8Array;
  readonly categorised: boolean;
};

const [OPEN, COMMA, CLOSE] = [0x5b, 0x2c, 0x5d];

/**
 * Packs entries batch by batch as the reader yields them, so the parsed entries die young (a
 * chunk's worth held as objects outlived the reader's small young generation, and collecting
 * them from the old one took a quarter of the thread's time); `take` makes the chunk. Each batch
 * is copied in as it comes, into buffers from `pool` (buffer-pool.ts), so it dies young too.
 */
export class ChunkPacker {
  readonly #rows: PooledBytes;
  readonly #digests: PooledBytes;
  readonly #identities: PooledBytes;
  #count = 0;
  #categorised = false;

  constructor(pool = new BufferPool()) {
    [this.#rows, this.#digests, this.#identities] = [new PooledBytes(pool), new PooledBytes(pool), new PooledBytes(pool)];
  }

  get count(): number {
    return this.#count;
  }

  add(batch: readonly ImportedEntry[]): void {
    if (batch.length === 0) return;
    const digests = new Uint8Array(batch.length * ENTRY_STRIDE);
    const rows: unknown[] = [];
    batch.forEach((e, i) => {
      const at = i * ENTRY_STRIDE;
      if (e.sha256 !== null) digests.set(e.sha256.subarray(0, 32), at);
      if (e.sha1 !== null) digests.set(e.sha1.subarray(0, 20), at + 32);
      if (e.md5 !== null) digests.set(e.md5.subarray(0, 16), at + 52);
      this.#categorised ||= e.category !== null;
      rows.push([
        e.pdq === null ? null : e.pdq.toString('hex'),
        e.pdqQuality,
        e.photoDna,
        e.category,
        e.series,
        e.victimIdentified === null ? null : e.victimIdentified ? 1 : 0,
        e.fileName,
        e.fileSize,
        e.extra,
        e.blockhash === null ? null : e.blockhash.toString('hex'),
      ]);
    });
    // The batch's array without its brackets: the chunk's rows are these joined by commas.
    this.#append(utf8Rows(JSON.stringify(rows).slice(1, -1)), digests, recordKeys(identityRecords(batch), IDENTITY_WIDTH), batch.length);
  }

  /** Entries a reader packed itself (importers/types.ts prepackedEntries), in their turn. */
  addPrepacked(packed: PrepackedEntries): void {
    if (packed.count === 0) return;
    this.#append(packed.rows, packed.digests, packed.identities, packed.count);
    this.#categorised ||= packed.categorised;
  }

  /**
   * The entries added since the last take. Each buffer is a view of an ArrayBuffer that holds
   * nothing else (transferable), from the pool: give it back once it has been written.
   */
  take(): PackedEntries {
    if (this.#count === 0) this.#rows.appendByte(OPEN);
    this.#rows.appendByte(CLOSE);
    const packed = { rows: this.#rows.take(), digests: this.#digests.take(), identities: this.#identities.take(), categorised: this.#categorised };
    this.#count = 0;
    this.#categorised = false;
    return packed;
  }

  #append(rows: Uint8Array, digests: Uint8Array, identities: Uint8Array, count: number): void {
    this.#rows.appendByte(this.#count === 0 ? OPEN : COMMA);
    this.#rows.append(rows);
    this.#digests.append(digests);
    this.#identities.append(identities);
    this.#count += count;
  }
}

export function packEntries(batch: readonly ImportedEntry[]): PackedEntries {
  const packer = new ChunkPacker();
  packer.add(batch);
  return packer.take();
}
