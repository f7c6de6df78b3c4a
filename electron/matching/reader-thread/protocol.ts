// Messages between the import (engine thread) and the thread that reads the hash-set file. The
// reader thread parses and packs; the engine thread only writes. Chunks carry their digests and
// their other fields (one JSON array, as UTF-8 that SQLite parses itself) in transferred buffers:
// nothing of a chunk lands on the engine's heap (rows as a JS string, 2-3 MB each, went straight
// to V8's old generation and stayed there until a full collection).
import type { PreparedRun } from '../key-runs.js';
import { BULK_DIGEST_WIDTH, type MalformedReport } from '../importers/index.js';

export type ReaderThreadInput = {
  readonly path: string;
  readonly format: string;
  /** The file's digest both threads advance when waiting (idle-file-hash.ts): the engine finishes it. */
  readonly sharedHash?: SharedArrayBuffer;
};

export type FileDigest = { readonly sha256: string; readonly size: number };

/** Entries from any reader: ENTRY_STRIDE bytes of digests each, JSON rows of the other fields. */
export type EntriesChunk = {
  readonly type: 'entries';
  /** As packEntries (pack.ts) makes them. */
  readonly rows: Uint8Array;
  readonly digests: Uint8Array;
  /** 16 bytes per entry: its identity (hashes and category), to find duplicates. */
  readonly identities: Uint8Array;
  readonly entries: number;
  readonly categorised: boolean;
  readonly bytesRead: number;
  /** What could not be read so far. */
  readonly malformed: MalformedReport;
  /** This thread hashes the whole file (it reads with native help, and waits for the engine): the engine need not. */
  readonly readerHashes: boolean;
};

/** Distinct NSRL files from the RDSv3 bulk path (see BulkChunk). */
export type RdsChunk = {
  readonly type: 'rds';
  readonly rows: Uint8Array;
  readonly digests: Uint8Array;
  readonly entries: number;
  readonly rowsRead: number;
  readonly bytesRead: number;
  readonly malformed: MalformedReport;
  /** As EntriesChunk's. */
  readonly readerHashes: boolean;
  /** The keys of the entries of earlier chunks, once a run's worth was read, sorted on this thread (hashset-keys.ts KeyRunBuilder). */
  readonly run: PreparedRun | null;
};

export type ReaderThreadMessage =
  | EntriesChunk
  | RdsChunk
  /**
   * source: the file's SHA-256 and size where this thread hashed the whole of it (RDSv3, pre-packed
   * VICS, without a shared hash), else null; runs: the RDSv3 path's key runs not sent with a chunk.
   */
  | { readonly type: 'end'; readonly malformed: MalformedReport; readonly source: FileDigest | null; readonly runs: readonly PreparedRun[] }
  | { readonly type: 'error'; readonly message: string; readonly formatError: boolean };

/**
 * The engine's answer to each chunk, once written: the reader keeps at most MAX_IN_FLIGHT[type]
 * unanswered. An entries chunk's buffers come back with it, transferred, to be filled again
 * (buffer-pool.ts); the engine keeps no view of them.
 */
export type ReaderThreadControl = { readonly type: 'ack'; readonly buffers: readonly ArrayBuffer[] };

/**
 * Two entry chunks, so that a slow chunk on either side stalls the other less (1M VICS entries:
 * 4.57-4.74 s against 4.75-4.90 s with one); one RDSv3 chunk, twice the entries (1M NSRL rows:
 * 1.15-1.25 s against 1.26-1.30 s with two).
 */
export const MAX_IN_FLIGHT = { entries: 2, rds: 1 } as const;
/** The ArrayBuffers under a chunk's views, each once (views may share one): what both threads transfer. */
export function buffersOf(...views: Uint8Array[]): ArrayBuffer[] {
  return [...new Set(views.map((v) => v.buffer as ArrayBuffer))];
}

/** Entries packed per chunk from the row readers. */
export const ENTRIES_PER_CHUNK = 10_000;
/** Digest bytes per entry in an EntriesChunk: SHA-256, SHA-1, MD5, the layout of RDS chunks too. */
export const ENTRY_STRIDE = BULK_DIGEST_WIDTH;
