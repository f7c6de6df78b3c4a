// A yauzl ZipFile behind promises, opened for hostile input:
//   decodeStrings: false       yauzl would refuse the whole archive at the first `../` name; we
//                              list such entries and neutralise their names (zip-names.ts);
//   validateEntrySizes: false  while walking the central directory, for the same reason: one stored
//                              entry with lying sizes would end the walk. It is switched back on
//                              when an entry's data is opened, and read.ts counts the bytes too.
// Errors never escape as events (an unhandled 'error' would take the worker down).
import { close } from 'node:fs';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

/** yauzl 3 keeps the name's bytes; @types/yauzl (2.x) does not know the field. */
export type RawEntry = Entry & { readonly fileNameRaw: Buffer };

const OPTIONS = { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: false } as const;

function hasRawName(entry: Entry): entry is RawEntry {
  return 'fileNameRaw' in entry && Buffer.isBuffer(entry.fileNameRaw);
}

type Pending = { resolve: (entry: RawEntry | null) => void; reject: (error: Error) => void };

export class ZipArchive {
  private pending: Pending | null = null;
  private failure: Error | null = null;

  private constructor(
    private readonly zip: ZipFile,
    /** Bytes in the archive file or buffer. */
    readonly size: number,
    /** False when the file behind it had to be opened without O_NOATIME (see source-file.ts). */
    readonly atimePreserved: boolean,
  ) {
    zip.on('entry', (entry: Entry) => this.settle((p) => (hasRawName(entry) ? p.resolve(entry) : p.reject(new Error('entry without raw name')))));
    zip.on('end', () => this.settle((p) => p.resolve(null)));
    zip.on('error', (error: Error) => {
      this.failure = error;
      this.settle((p) => p.reject(error));
    });
  }

  private settle(act: (pending: Pending) => void): void {
    const pending = this.pending;
    this.pending = null;
    if (pending !== null) act(pending);
  }

  /** Takes ownership of `fd`: it is closed with the archive (or here, if it is no zip). */
  static fromFd(fd: number, size: number, atimePreserved: boolean): Promise<ZipArchive> {
    return new Promise((resolve, reject) => {
      yauzl.fromFd(fd, { ...OPTIONS }, (error, zip) => {
        if (error === null) return resolve(new ZipArchive(zip, size, atimePreserved));
        close(fd, () => reject(error));
      });
    });
  }

  static fromBuffer(buffer: Buffer, atimePreserved: boolean): Promise<ZipArchive> {
    return new Promise((resolve, reject) => {
      yauzl.fromBuffer(buffer, { ...OPTIONS }, (error, zip) =>
        error !== null ? reject(error) : resolve(new ZipArchive(zip, buffer.length, atimePreserved)),
      );
    });
  }

  get entryCount(): number {
    return this.zip.entryCount;
  }

  /** Offset of the next central directory record: remembered so a later open can seek straight to it. */
  get cursor(): number {
    const cursor: unknown = Reflect.get(this.zip, 'readEntryCursor');
    if (typeof cursor !== 'number') throw new Error('yauzl: no central directory cursor');
    return cursor;
  }

  /**
   * Continue the central directory walk at entry `index`, whose record starts at `cursor` (an
   * offset this archive reported earlier). yauzl has no public seek; these two fields are its whole
   * walk state (yauzl 3.4, pinned), and the entry reached is checked by name by the caller.
   */
  seek(index: number, cursor: number): void {
    Reflect.set(this.zip, 'readEntryCursor', cursor);
    Reflect.set(this.zip, 'entriesRead', index);
  }

  /** The next central directory entry, or null after the last. */
  next(): Promise<RawEntry | null> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.zip.readEntry();
    });
  }

  /** The entry's data, inflated, checked by yauzl against the declared size as it streams. */
  openData(entry: RawEntry): Promise<Readable> {
    this.zip.validateEntrySizes = true;
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, (error, stream) => (error !== null ? reject(error) : resolve(stream)));
    });
  }

  /** Releases the descriptor once open data streams have finished (yauzl reference-counts it). */
  close(): void {
    this.zip.close();
  }
}

/** yauzl's messages, as one line an investigator can act on. */
export function describeZipError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('End of central directory record signature not found')) {
    return 'not a zip archive, or truncated (no end-of-central-directory record)';
  }
  if (message.includes('Invalid comment length')) return 'corrupt zip: trailing bytes after the end-of-central-directory record';
  if (message === 'unexpected EOF') return 'truncated zip: the central directory runs past the end of the file';
  if (message.includes('invalid central directory file header signature')) {
    return 'corrupt zip: bad central directory record (truncated or damaged)';
  }
  if (message.includes('invalid local file header signature')) return 'corrupt zip: bad local header for this entry';
  if (message.includes('file data overflows file bounds')) return 'truncated zip: entry data runs past the end of the file';
  if (message.includes('multi-disk')) return 'split (multi-volume) zip archives are not supported';
  if (message.includes('strong encryption')) return 'strong encryption is not supported';
  if (message.includes('zip file too large')) return 'zip archive too large to address';
  const firstLine = message.split('\n')[0] ?? message;
  return `corrupt zip: ${firstLine.slice(0, 200)}`;
}
