// The reader thread: opens the hash set, reads it with its format's reader, and posts chunks
// (packed digests, identities, JSON rows) to the import, never more than MAX_IN_FLIGHT ahead of
// what the import has written, so memory stays flat however fast the file reads.
import { parentPort, workerData } from 'node:worker_threads';
import { HashSetFormatError, openHashSet, type HashSetFormat, type ImportedEntry, type MalformedReport } from '../importers/index.js';
import { recordKeys } from '../key-sort.js';
import { identityRecords, IDENTITY_WIDTH } from './identity.js';
import { ENTRIES_PER_CHUNK, ENTRY_STRIDE, MAX_IN_FLIGHT, type ReaderThreadControl, type ReaderThreadInput, type ReaderThreadMessage } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('the hash-set reader runs in a worker thread');
const input = workerData as ReaderThreadInput;

let credits = MAX_IN_FLIGHT;
let wake: (() => void) | null = null;
port.on('message', (m: ReaderThreadControl) => {
  if (m.type !== 'ack') return;
  credits++;
  wake?.();
  wake = null;
});

async function post(message: ReaderThreadMessage, transfer: ArrayBuffer[] = []): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port?.postMessage(message, transfer);
}

function pack(batch: readonly ImportedEntry[], bytesRead: number, malformed: MalformedReport): { message: ReaderThreadMessage; transfer: ArrayBuffer[] } {
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
  const identities = recordKeys(identityRecords(batch), IDENTITY_WIDTH);
  const ownIdentities = identities.byteOffset === 0 && identities.byteLength === identities.buffer.byteLength ? identities : identities.slice();
  return {
    message: { type: 'entries', rows: JSON.stringify(rows), digests, identities: ownIdentities, entries: batch.length, categorised, bytesRead, malformed },
    transfer: [digests.buffer as ArrayBuffer, ownIdentities.buffer as ArrayBuffer],
  };
}

async function main(): Promise<void> {
  const reader = await openHashSet(input.path, input.format as HashSetFormat);
  try {
    const bulk = reader.bulkEntries?.() ?? null;
    if (bulk !== null) {
      for await (const chunk of bulk) {
        const digests = new Uint8Array(chunk.digests);
        await post(
          { type: 'rds', rows: chunk.rows, digests, entries: chunk.entries, rowsRead: chunk.rowsRead, bytesRead: reader.bytesRead(), malformed: reader.malformed() },
          [digests.buffer as ArrayBuffer],
        );
      }
    } else {
      let pending: ImportedEntry[] = [];
      for await (const batch of reader.entries()) {
        pending.push(...batch);
        if (pending.length >= ENTRIES_PER_CHUNK) {
          const { message, transfer } = pack(pending, reader.bytesRead(), reader.malformed());
          pending = [];
          await post(message, transfer);
        }
      }
      if (pending.length > 0) {
        const { message, transfer } = pack(pending, reader.bytesRead(), reader.malformed());
        await post(message, transfer);
      }
    }
    await post({ type: 'end', malformed: reader.malformed() });
  } finally {
    await reader.close();
  }
}

main().catch((error: unknown) => {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'the hash-set reader failed';
  port.postMessage({ type: 'error', message, formatError: error instanceof HashSetFormatError } satisfies ReaderThreadMessage);
});
