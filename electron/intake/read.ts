// Opening the bytes behind a locator: a file, or an entry of a zip that may itself sit inside zips.
// Every stream handed out is checked as it flows: a file must deliver exactly the size fstat gave
// (else it changed under us), a zip entry exactly its declared size (else it is damaged or a bomb
// whose header lies) with a matching CRC-32. Nothing is written anywhere: a nested archive is held
// in memory, within `maxNestedArchiveBytes`, never spilled to a temporary file.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { ArchiveCache } from './archive-cache.js';
import { locatorDepth, locatorKey, pathBuffer, type Locator, type ZipEntryLocator } from './locator.js';
import { SourceReadError } from './read-error.js';
import { openSourceFile } from './source-file.js';
import { ZipArchive, describeZipError, type RawEntry } from './zip-archive.js';
import { dataRefusal, describeEntry, formatBytes } from './zip-entry.js';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-limits.js';

export type OpenedBytes = {
  /** Must be read to the end or destroyed: it holds the source's descriptor until then. */
  readonly stream: Readable;
  /** File size from fstat, or the entry's declared uncompressed size: the stream delivers exactly this. */
  readonly size: number;
  /**
   * False when a file had to be read without O_NOATIME (the process neither owns it nor has
   * CAP_FOWNER), so its atime may have moved: worth a line in the custody log.
   */
  readonly atimePreserved: boolean;
};

type Expectation = {
  /** A file must match its size at open (else it changed); an entry its header (else it lies). */
  readonly of: 'file' | 'entry';
  readonly size: number;
  readonly crc32: number | null;
};

function sizeMismatch(expect: Expectation, seen: number): SourceReadError {
  const { size } = expect;
  if (expect.of === 'file') {
    const what = seen > size ? 'more' : `only ${seen}`;
    return new SourceReadError('changed', `file changed while being read: ${what} of the ${size} bytes it had when opened`);
  }
  return seen > size
    ? new SourceReadError('limit', `entry inflates beyond its declared ${size} bytes (zip bomb?): reading stopped`)
    : new SourceReadError('corrupt', `entry data ends after ${seen} of its declared ${size} bytes (damaged or truncated)`);
}

function streamFailure(error: unknown): SourceReadError {
  if (error instanceof SourceReadError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('too many bytes in the stream')) {
    return new SourceReadError('limit', 'entry inflates beyond its declared size (zip bomb?): reading stopped');
  }
  if (message.startsWith('not enough bytes in the stream')) {
    return new SourceReadError('corrupt', 'entry data ends before its declared size (damaged or truncated)');
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('Z_')) {
    return new SourceReadError('corrupt', 'damaged compressed data (inflate failed)');
  }
  return new SourceReadError('io', (message.split('\n')[0] ?? message).slice(0, 200));
}

async function* checked(source: Readable, expect: Expectation): AsyncGenerator<Buffer> {
  let seen = 0;
  let crc = 0;
  try {
    for await (const chunk of source) {
      if (!Buffer.isBuffer(chunk)) throw new SourceReadError('io', 'unexpected non-binary chunk');
      seen += chunk.length;
      // Stop at the first byte past the promise, so a lying header costs at most one chunk of memory.
      if (seen > expect.size) throw sizeMismatch(expect, seen);
      if (expect.crc32 !== null) crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (error) {
    throw streamFailure(error);
  }
  if (seen < expect.size) throw sizeMismatch(expect, seen);
  if (expect.crc32 !== null && crc !== expect.crc32) throw new SourceReadError('corrupt', 'CRC-32 mismatch: entry data is damaged');
}

function checkedStream(source: Readable, expect: Expectation): Readable {
  const stream = Readable.from(checked(source, expect), { objectMode: false });
  // Destroyed before its first read, the generator never runs and so never releases the source.
  stream.once('close', () => {
    if (!source.readableEnded) source.destroy();
  });
  return stream;
}

async function readWhole(opened: OpenedBytes): Promise<Buffer> {
  const out = Buffer.allocUnsafe(opened.size);
  let filled = 0;
  for await (const chunk of opened.stream) {
    if (!Buffer.isBuffer(chunk)) throw new SourceReadError('io', 'unexpected non-binary chunk');
    filled += chunk.copy(out, filled);
  }
  return out;
}

/** A zip archive from a file or from a zip entry (read whole into memory, within limits). */
export async function openArchive(
  container: Locator,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  cache?: ArchiveCache,
): Promise<ZipArchive> {
  if (container.kind === 'file') {
    const file = await openSourceFile(pathBuffer(container.path));
    try {
      return await ZipArchive.fromFd(file.fd, file.size, file.atimePreserved);
    } catch (error) {
      throw new SourceReadError('corrupt', describeZipError(error));
    }
  }
  const key = locatorKey(container);
  let bytes = cache?.bytes(key);
  let atimePreserved = true; // nothing is read from a file when the bytes are cached
  if (bytes === undefined) {
    const opened = await openLocator(container, limits, cache);
    if (opened.size > limits.maxNestedArchiveBytes) {
      opened.stream.destroy();
      throw new SourceReadError(
        'limit',
        `nested archive of ${formatBytes(opened.size)} exceeds the ${formatBytes(limits.maxNestedArchiveBytes)} in-memory limit`,
      );
    }
    bytes = await readWhole(opened);
    atimePreserved = opened.atimePreserved;
    cache?.keepBytes(key, bytes);
  }
  try {
    return await ZipArchive.fromBuffer(bytes, atimePreserved);
  } catch (error) {
    throw new SourceReadError('corrupt', describeZipError(error));
  }
}

/** Walks the central directory to record `index`, from the nearest offset the cache remembers. */
async function findEntry(archive: ZipArchive, locator: ZipEntryLocator, cache?: ArchiveCache): Promise<RawEntry> {
  const { index } = locator;
  if (!Number.isInteger(index) || index < 0 || index >= archive.entryCount) {
    throw new SourceReadError('not-found', `no entry ${index} in the archive (it has ${archive.entryCount})`);
  }
  const offsets = cache?.centralDirectory(locatorKey(locator.container)) ?? [];
  let at = Math.min(index, offsets.length - 1);
  const offset = offsets[at];
  if (offset !== undefined) archive.seek(at, offset);
  else at = 0;
  try {
    for (;;) {
      if (offsets.length === at) offsets.push(archive.cursor);
      const entry = await archive.next();
      if (entry === null) throw new SourceReadError('not-found', `no entry ${index} in the archive`);
      if (at === index) return entry;
      at += 1;
    }
  } catch (error) {
    throw error instanceof SourceReadError ? error : new SourceReadError('corrupt', describeZipError(error));
  }
}

async function openZipEntry(locator: ZipEntryLocator, limits: ZipLimits, cache?: ArchiveCache): Promise<OpenedBytes> {
  const depth = locatorDepth(locator);
  if (depth > limits.maxNestingDepth) {
    throw new SourceReadError('limit', `archives nested ${depth} deep exceed the limit of ${limits.maxNestingDepth}`);
  }
  const archive = await openArchive(locator.container, limits, cache);
  try {
    if (archive.entryCount > limits.maxEntries) {
      throw new SourceReadError('limit', `archive has ${archive.entryCount} entries; the limit is ${limits.maxEntries}`);
    }
    const entry = await findEntry(archive, locator, cache);
    const described = describeEntry(entry, locator.index, archive.size, limits);
    if (described.name !== locator.name) {
      throw new SourceReadError('mismatch', `entry ${locator.index} is "${described.name}", not "${locator.name}"`);
    }
    if (described.kind === 'directory') throw new SourceReadError('not-a-file', 'is a directory entry');
    if (described.kind === 'encrypted') throw new SourceReadError('encrypted', 'entry is encrypted: not read');
    const refusal = dataRefusal(entry, archive.size, limits);
    if (refusal !== null) throw new SourceReadError(refusal.code, refusal.message);
    let data: Readable;
    try {
      data = await archive.openData(entry);
    } catch (error) {
      throw new SourceReadError('corrupt', describeZipError(error));
    }
    const size = entry.uncompressedSize;
    const stream = checkedStream(data, { of: 'entry', size, crc32: entry.crc32 });
    return { stream, size, atimePreserved: archive.atimePreserved };
  } finally {
    // The descriptor stays open for the data stream (yauzl counts references) and closes after it.
    archive.close();
  }
}

/**
 * The bytes behind a locator, as a stream that delivers exactly `size` bytes or fails with a
 * `SourceReadError`. Pass the worker's `ArchiveCache` when reading many entries of one archive.
 */
export async function openLocator(
  locator: Locator,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  cache?: ArchiveCache,
): Promise<OpenedBytes> {
  if (locator.kind === 'zip-entry') return openZipEntry(locator, limits, cache);
  const path = pathBuffer(locator.path);
  const file = await openSourceFile(path);
  const source = createReadStream(path, { fd: file.fd, autoClose: true, start: 0 });
  const stream = checkedStream(source, { of: 'file', size: file.size, crc32: null });
  return { stream, size: file.size, atimePreserved: file.atimePreserved };
}

/**
 * The first `maxBytes` bytes behind a locator (all of them when it is smaller, then fully checked:
 * size and CRC). For type sniffing and small files; stream anything large with `openLocator`.
 */
export async function readLocator(
  locator: Locator,
  maxBytes: number,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  cache?: ArchiveCache,
): Promise<Buffer> {
  if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be a number >= 0, not ${maxBytes}`);
  const opened = await openLocator(locator, limits, cache);
  const want = Math.min(opened.size, maxBytes);
  const out = Buffer.allocUnsafe(want);
  let filled = 0;
  try {
    for await (const chunk of opened.stream) {
      if (!Buffer.isBuffer(chunk)) throw new SourceReadError('io', 'unexpected non-binary chunk');
      filled += chunk.copy(out, filled, 0, Math.min(chunk.length, want - filled));
      // A prefix is all that was asked for: stop reading (and inflating) there.
      if (want < opened.size && filled === want) break;
    }
  } finally {
    opened.stream.destroy();
  }
  return out;
}
