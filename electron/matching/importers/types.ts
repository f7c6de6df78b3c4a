// What every hash-set reader gives the importer: entries in batches, streamed from the file so
// memory stays flat whatever its size, plus the lines it could not read. Readers never touch the
// store; the importer writes the batches (and dedups them) in its own transactions.

export type HashSetFormat = 'vics' | 'nsrl' | 'md5' | 'sha1' | 'sha256' | 'pdq' | 'encase' | 'hashkeeper' | 'icse' | 'csv';

export const HASH_SET_FORMATS: readonly HashSetFormat[] = ['vics', 'nsrl', 'md5', 'sha1', 'sha256', 'pdq', 'encase', 'hashkeeper', 'icse', 'csv'];

export type ImportedEntry = {
  /** Raw digests: 16, 20 and 32 bytes. */
  readonly md5: Buffer | null;
  readonly sha1: Buffer | null;
  readonly sha256: Buffer | null;
  /** 32 bytes; quality 0-100 when the source gives it. */
  readonly pdq: Buffer | null;
  readonly pdqQuality: number | null;
  /** 256-bit blockhash (16x16, the reference's method), 32 bytes: matched only in cases that turn it on. */
  readonly blockhash: Buffer | null;
  /** Opaque (licensed: stored, shown and exported, never computed), exactly as the source gives it. */
  readonly photoDna: string | null;
  /** The source's own category number; null (absent or null in the source) is kept apart from 0. */
  readonly category: number | null;
  readonly series: string | null;
  readonly victimIdentified: boolean | null;
  /** As the source gives it (md5sum lines and some CSVs give a path). */
  readonly fileName: string | null;
  readonly fileSize: number | null;
  /** Other fields worth keeping, under the source's own field names (VICS MediaID, NSRL package_id, ICSE Image ID...). */
  readonly extra: Readonly<Record<string, unknown>> | null;
};

/** `line` is 1-based: the line a record starts on (text and JSON), or the row's ordinal (RDSv3). */
export type MalformedLine = { readonly line: number; readonly reason: string };

export type MalformedReport = { readonly count: number; readonly first: readonly MalformedLine[] };

export interface HashSetReader {
  /** The format actually read: never 'auto' ('md5' | 'sha1' | 'sha256' for a plain list). */
  readonly format: HashSetFormat;
  /** '1.2' / '2.0' for VICS, 'RDSv3' / 'RDSv2' / 'RDS 1.5' for NSRL; null where the format has none. */
  readonly version: string | null;
  /** What the file says about itself, for display: VICS metadata URL, EnCase set name and category, RDS release... */
  readonly properties: Readonly<Record<string, string>>;
  /** The category scheme the file names, where it names one: a VICS 2.0 metadata URL's country (US: 'vics-us', UK: 'caid-uk'). */
  readonly schemeHint: string | null;
  /** The file's size, for progress. */
  readonly totalBytes: number;
  /** How far the reader has got, in the same unit as totalBytes (an estimate for an RDSv3 database without rowids). */
  bytesRead(): number;
  /**
   * Batches of at most BATCH_SIZE entries, read as they are asked for. One pass only. Throws
   * HashSetFormatError at the end when the file held no valid entry but malformed ones, or when
   * its structure breaks off (a truncated JSON file): the caller rolls back what it stored.
   */
  entries(): AsyncIterable<readonly ImportedEntry[]>;
  /** How many records could not be read and the first MAX_MALFORMED_REPORTED of them; final after iteration. */
  malformed(): MalformedReport;
  /** Releases the file (safe to call twice, and before iteration ends). */
  close(): Promise<void>;
  /**
   * Instead of entries(), where the source can give them so: its distinct entries in bulk, with
   * no JavaScript object per row (an NSRL RDSv3 database grouped by SQLite along its primary
   * key). Undefined or null where it cannot; one pass only, like entries().
   */
  bulkEntries?(): AsyncIterable<BulkChunk> | null;
  /**
   * Instead of entries(), where the format has records a packer given by the caller can take
   * without building objects (VICS media, with custos-native): entries already packed for the
   * store, in file order, with the entries of each record the packer declines read the usual
   * way, in their turn. With a splitter, the records are found in the file's bytes where it can
   * (rather than in decoded text). Null where it cannot (another text encoding than UTF-8); one
   * pass only, like entries().
   */
  prepackedEntries?(packer: RecordPacker, splitter?: ObjectSplitter | null): AsyncIterable<PrepackedEntries | readonly ImportedEntry[]> | null;
}

/** Entries packed as reader-thread/pack.ts packs them. */
export type PrepackedEntries = {
  /** Each entry's row JSON (see pack.ts) as well-formed UTF-8, comma-separated, without the array's brackets. */
  readonly rows: Uint8Array;
  readonly digests: Uint8Array;
  /** Hashed identities, 16 bytes per entry. */
  readonly identities: Uint8Array;
  readonly count: number;
  readonly categorised: boolean;
};

/**
 * What a reader pre-packs with (the reader thread supplies it: importers never import it): packs
 * records start.. of UTF-8 `text` (record i is text[starts[i], ends[i]), or without starts ends at
 * ends[i] where the one before it ends) until one it declines; `next` is that record
 * (ends.length when none), `packed` what it took (null when nothing).
 */
export type RecordPacker = (text: Uint8Array, ends: Uint32Array, start: number, starts?: Uint32Array) => { readonly next: number; readonly packed: PrepackedEntries | null };

/**
 * What a reader finds records in bytes with (supplied like the packer): from `from`, an element's
 * start in a JSON array, up to `maxCount` whole objects separated by commas, as json-scan.ts
 * would find them (json_split.cc); `next` is just past the last one taken, `lines` the newlines
 * up to there, `lineOffsets` those before each object.
 */
export type ObjectSplitter = (
  bytes: Uint8Array,
  from: number,
  maxCount: number,
) => { readonly count: number; readonly next: number; readonly lines: number; readonly starts: Uint32Array; readonly ends: Uint32Array; readonly lineOffsets: Uint32Array };

/**
 * Distinct entries in bulk: `entries` of them, behind `rowsRead` source rows (a file listed under
 * several packages is one entry). Both buffers lie in ArrayBuffers the reader keeps nothing else
 * in (they may share one): the reader thread transfers them.
 */
export type BulkChunk = {
  /** A JSON array of [file_name, file_size, package_id], one per entry, as well-formed UTF-8. */
  readonly rows: Uint8Array;
  /** The same entries' digests, BULK_DIGEST_WIDTH bytes each: SHA-256, SHA-1, MD5; zeros where one is absent. */
  readonly digests: Uint8Array;
  readonly entries: number;
  readonly rowsRead: number;
};

export const BULK_DIGEST_WIDTH = 32 + 20 + 16;

// Small enough that a batch's parsed entries die in the reader thread's young generation (they are
// packed as each batch comes, reader-thread/pack.ts): 5 000 at a time were promoted and collected
// from the old generation, and the 1 M-entry VICS import took 11.6-12.4 s instead of 10.0-10.7.
export const BATCH_SIZE = 1000;
export const MAX_MALFORMED_REPORTED = 20;

export type HashSetFormatErrorCode =
  | 'wrong-format' // the file is not the format named (or, with 'auto', not any format known)
  | 'ambiguous' // 'auto' cannot tell two formats apart (bare 64-hex lines: SHA-256 or PDQ?)
  | 'unsupported' // a variant of the format this reader does not take (a VICS entity set other than Media or Cases)
  | 'corrupt' // the structure breaks off part-way (truncated JSON, EnCase shorter than its count)
  | 'no-entries'; // read to the end without one valid entry, but with malformed ones

/** One line, fit for `error: ...` on the CLI. */
export class HashSetFormatError extends Error {
  constructor(
    message: string,
    readonly code: HashSetFormatErrorCode = 'wrong-format',
  ) {
    super(message);
    this.name = 'HashSetFormatError';
  }
}

/** A whole entry from the fields a reader has: every entry gets the same shape (one hidden class). */
export function entryOf(f: Partial<ImportedEntry>): ImportedEntry {
  return {
    md5: f.md5 ?? null,
    sha1: f.sha1 ?? null,
    sha256: f.sha256 ?? null,
    pdq: f.pdq ?? null,
    pdqQuality: f.pdqQuality ?? null,
    blockhash: f.blockhash ?? null,
    photoDna: f.photoDna ?? null,
    category: f.category ?? null,
    series: f.series ?? null,
    victimIdentified: f.victimIdentified ?? null,
    fileName: f.fileName ?? null,
    fileSize: f.fileSize ?? null,
    extra: f.extra ?? null,
  };
}
