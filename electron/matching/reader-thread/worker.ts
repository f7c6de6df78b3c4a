// The reader thread: opens the hash set, reads it with its format's reader, and posts chunks
// (packed digests, identities, JSON rows, all transferred) to the import, never more than
// MAX_IN_FLIGHT chunks ahead of what the import has written, so memory stays flat however fast
// the file reads. Entries chunks are packed into the buffers the import gives back.
import { parentPort, workerData } from 'node:worker_threads';
import { HashSetFormatError, openHashSet, type HashSetFormat, type MalformedReport } from '../importers/index.js';
import { KeyRunBuilder, runBuffers, type PreparedRun } from '../key-runs.js';
import { IdleFileHash } from '../idle-file-hash.js';
import { BufferPool } from './buffer-pool.js';
import { ChunkPacker } from './pack.js';
import { vicsObjectSplitter, vicsRecordPacker } from './record-packer.js';
import { buffersOf, ENTRIES_PER_CHUNK, MAX_IN_FLIGHT, type ReaderThreadControl, type ReaderThreadInput, type ReaderThreadMessage } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('the hash-set reader runs in a worker thread');
const input = workerData as ReaderThreadInput;

// Set once the reader knows which chunks it sends.
let credits = 1;
let wake: (() => void) | null = null;
// The entries chunks' buffers, back from the engine.
const pool = new BufferPool();
port.on('message', (m: ReaderThreadControl) => {
  if (m.type !== 'ack') return;
  pool.give(m.buffers);
  credits++;
  wake?.();
  wake = null;
});

/** Waits for a credit; `idle` (a slice of other work, false when there is none) fills the wait. */
async function post(message: ReaderThreadMessage, transfer: ArrayBuffer[] = [], idle: (() => boolean) | null = null): Promise<void> {
  while (credits === 0) {
    if (idle?.() === true) await new Promise<void>((resolve) => setImmediate(resolve));
    else await new Promise<void>((resolve) => (wake = resolve));
  }
  credits--;
  port?.postMessage(message, transfer);
}

function chunkMessage(packer: ChunkPacker, bytesRead: number, malformed: MalformedReport, readerHashes: boolean): { message: ReaderThreadMessage; transfer: ArrayBuffer[] } {
  const entries = packer.count;
  const { rows, digests, identities, categorised } = packer.take();
  return {
    message: { type: 'entries', rows, digests, identities, entries, categorised, bytesRead, malformed, readerHashes },
    transfer: buffersOf(rows, digests, identities),
  };
}

async function main(): Promise<void> {
  const reader = await openHashSet(input.path, input.format as HashSetFormat);
  try {
    const bulk = reader.bulkEntries?.() ?? null;
    credits = bulk !== null ? MAX_IN_FLIGHT.rds : MAX_IN_FLIGHT.entries;
    const packer = bulk === null ? vicsRecordPacker() : null;
    const prepacked = packer === null ? null : (reader.prepackedEntries?.(packer, vicsObjectSplitter()) ?? null);
    // The file's SHA-256 (for custody) is computed in the moments a thread waits, trailing what has
    // been read: by both threads, whichever waits, where the engine shares its digest; else by this
    // one where it reads with native help (SQLite for RDSv3, custos-native for VICS) and so comes
    // faster than the engine writes; else by the engine alone.
    const shared = input.sharedHash ?? null;
    const hash = shared !== null ? new IdleFileHash(input.path, { share: shared }) : bulk !== null || prepacked !== null ? new IdleFileHash(input.path) : null;
    const hashesAll = shared === null && hash !== null;
    const idle = hash === null ? null : () => hash.step(reader.bytesRead());
    try {
      const runs: PreparedRun[] = [];
      if (bulk !== null) {
        // The keys are sorted here, while the engine writes the chunk just sent, and go with the next.
        const keys = new KeyRunBuilder();
        let pending: PreparedRun | null = null;
        for await (const { rows, digests, entries, rowsRead } of bulk) {
          keys.add(entries, digests);
          const run: PreparedRun | null = pending;
          pending = null;
          await post(
            { type: 'rds', rows, digests, entries, rowsRead, bytesRead: reader.bytesRead(), malformed: reader.malformed(), readerHashes: hashesAll, run },
            [...buffersOf(rows, digests), ...runBuffers(run)],
            idle,
          );
          if (keys.full) pending = keys.take();
        }
        for (const run of [pending, keys.take()]) if (run !== null) runs.push(run);
      } else {
        const chunk = new ChunkPacker(pool);
        for await (const batch of prepacked ?? reader.entries()) {
          if ('count' in batch) chunk.addPrepacked(batch);
          else chunk.add(batch);
          if (chunk.count >= ENTRIES_PER_CHUNK) {
            const { message: m, transfer } = chunkMessage(chunk, reader.bytesRead(), reader.malformed(), hashesAll);
            await post(m, transfer, idle);
          }
        }
        if (chunk.count > 0) {
          const { message: m, transfer } = chunkMessage(chunk, reader.bytesRead(), reader.malformed(), hashesAll);
          await post(m, transfer, idle);
        }
      }
      await post({ type: 'end', malformed: reader.malformed(), source: hashesAll ? (hash?.finish() ?? null) : null, runs }, runs.flatMap(runBuffers));
    } finally {
      hash?.close();
    }
  } finally {
    await reader.close();
  }
}

main().catch((error: unknown) => {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'the hash-set reader failed';
  port.postMessage({ type: 'error', message, formatError: error instanceof HashSetFormatError } satisfies ReaderThreadMessage);
});
