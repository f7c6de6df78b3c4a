// How a chunk of entries travels from the reader thread to the store: digests packed ENTRY_STRIDE
// bytes each, 16-byte identities, and the other fields as one JSON string that SQLite parses
// (insertPackedEntries). A pure function of the entries: the worker sends what it returns.
import type { ImportedEntry } from '../importers/index.js';
import { recordKeys } from '../key-sort.js';
import { identityRecords, IDENTITY_WIDTH } from './identity.js';
import { ENTRY_STRIDE } from './protocol.js';

export type PackedEntries = {
  /** JSON array of [pdq hex, pdq quality, PhotoDNA, category, series, victim identified 0/1, file name, file size, extra JSON]. */
  readonly rows: string;
  /** SHA-256, SHA-1, MD5 at ENTRY_STRIDE bytes per entry, zeros where absent; its own ArrayBuffer (transferable). */
  readonly digests: Uint8Array;
  /** 16 bytes per entry; its own ArrayBuffer. */
  readonly identities: Uint8Array;
  readonly categorised: boolean;
};

export function packEntries(batch: readonly ImportedEntry[]): PackedEntries {
  const digests = new Uint8Array(batch.length * ENTRY_STRIDE);
  const rows: unknown[] = [];
  let categorised = false;
  batch.forEach((e, i) => {
    const at = i * ENTRY_STRIDE;
    if (e.sha256 !== null) digests.set(e.sha256.subarray(0, 32), at);
    if (e.sha1 !== null) digests.set(e.sha1.subarray(0, 20), at + 32);
    if (e.md5 !== null) digests.set(e.md5.subarray(0, 16), at + 52);
    categorised ||= e.category !== null;
    rows.push([
      e.pdq === null ? null : e.pdq.toString('hex'),
      e.pdqQuality,
      e.photoDna,
      e.category,
      e.series,
      e.victimIdentified === null ? null : e.victimIdentified ? 1 : 0,
      e.fileName,
      e.fileSize,
      e.extra === null ? null : JSON.stringify(e.extra),
    ]);
  });
  const keys = recordKeys(identityRecords(batch), IDENTITY_WIDTH);
  const identities = keys.byteOffset === 0 && keys.byteLength === keys.buffer.byteLength ? keys : keys.slice();
  return { rows: JSON.stringify(rows), digests, identities, categorised };
}
