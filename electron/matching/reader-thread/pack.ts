// How a chunk of entries travels from the reader thread to the store: digests packed ENTRY_STRIDE
// bytes each, 16-byte identities, and the other fields as one JSON string that SQLite parses
// (insertPackedEntries). A pure function of the entries: the worker sends what it returns.
import type { ImportedEntry, PrepackedEntries } from '../importers/index.js';
import { recordKeys } from '../key-sort.js';
import { identityRecords, IDENTITY_WIDTH } from './identity.js';
import { ENTRY_STRIDE } from './protocol.js';

export type PackedEntries = {
  /** JSON array of [pdq hex, pdq quality, PhotoDNA, category, series, victim identified 0/1, file name, file size, extra, blockhash hex]: extra is the object itself, not a string of its JSON escaped again (->> gives an object's JSON text). */
  readonly rows: string;
  /** SHA-256, SHA-1, MD5 at ENTRY_STRIDE bytes per entry, zeros where absent; its own ArrayBuffer (transferable). */
  readonly digests: Uint8Array;
  /** 16 bytes per entry; its own ArrayBuffer. */
  readonly identities: Uint8Array;
  readonly categorised: boolean;
};

/**
 * Packs entries batch by batch as the reader yields them, so the parsed entries die young (a
 * chunk's worth held as objects outlived the reader's small young generation, and collecting
 * them from the old one took a quarter of the thread's time); `take` makes the chunk.
 */
export class ChunkPacker {
  #digests: Uint8Array[] = [];
  #identities: Uint8Array[] = [];
  #rows: string[] = [];
  #count = 0;
  #categorised = false;

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
    this.#digests.push(digests);
    this.#identities.push(recordKeys(identityRecords(batch), IDENTITY_WIDTH));
    // The batch's array without its brackets: the chunk's rows are these joined by commas.
    this.#rows.push(JSON.stringify(rows).slice(1, -1));
    this.#count += batch.length;
  }

  /** Entries a reader packed itself (importers/types.ts prepackedEntries), in their turn. */
  addPrepacked(packed: PrepackedEntries): void {
    if (packed.count === 0) return;
    this.#digests.push(packed.digests);
    this.#identities.push(packed.identities);
    this.#rows.push(packed.rows);
    this.#count += packed.count;
    this.#categorised ||= packed.categorised;
  }

  /** The entries added since the last take, each buffer with an ArrayBuffer of its own (transferable). */
  take(): PackedEntries {
    const packed = {
      rows: `[${this.#rows.join(',')}]`,
      digests: concatOwned(this.#digests),
      identities: concatOwned(this.#identities),
      categorised: this.#categorised,
    };
    this.#digests = [];
    this.#identities = [];
    this.#rows = [];
    this.#count = 0;
    this.#categorised = false;
    return packed;
  }
}

function concatOwned(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function packEntries(batch: readonly ImportedEntry[]): PackedEntries {
  const packer = new ChunkPacker();
  packer.add(batch);
  return packer.take();
}
