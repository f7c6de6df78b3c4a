// One read of an item's bytes feeding the three digests, keeping the bytes only when they are
// an image to decode. Files are read with plain positional reads in large chunks (node:crypto
// costs per call: 4 MiB updates run about three times faster than a stream's 64 KiB chunks)
// and hashed in the worker's digest batch, alongside the other files it is reading; archive
// entries arrive as inflating streams and are hashed as they come.
import { closeSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { openSourceFile } from '../intake/source-file.js';
import { SourceReadError } from '../intake/read-error.js';
import { pathBuffer, type FileLocator } from '../intake/locator.js';
import { DigestStream, type Digests } from './digests.js';
import { DigestBatch } from './digest-batch.js';
import { detectType, isImageMime, SNIFF_BYTES, type DetectedType } from './file-type.js';
import { Slots } from './slots.js';

export type ReadOutcome = {
  /** For an image kept whole, hashed along with other files' bytes while decodes run. */
  readonly digests: () => Promise<Digests>;
  readonly type: DetectedType;
  /** The whole content, for an image within the size limit; otherwise null. */
  readonly whole: Buffer | null;
  /** False when the file had to be opened without O_NOATIME, so reading it may have moved its access time. */
  readonly atimePreserved: boolean;
  /** Called when the caller is done with `whole`. */
  readonly release: () => void;
};

// A worker has many files in hand (pool.ts), but an image is read whole only when one of a few
// slots is free: the decodes and what waits for them. The bytes of images read far ahead would
// outlive V8's young generation, and as external memory of the old one they bring on full
// collections (tests/bench/RESULTS.md (b)). Above LARGE_IMAGE, one at a time.
const IMAGES_IN_HAND = 4;
const LARGE_IMAGE = 64 * 1024 * 1024;
const imageSlots = new Slots(IMAGES_IN_HAND);
const largeImageSlot = new Slots(1);

async function holdImage(size: number): Promise<() => void> {
  const image = await imageSlots.take();
  if (size <= LARGE_IMAGE) return image;
  const large = await largeImageSlot.take();
  return () => {
    large();
    image();
  };
}

const noop = (): void => undefined;
// One byte past the size read at open: a file that grew since is refused as changed.
const probe = Buffer.alloc(1);

const CHUNK = 4 * 1024 * 1024;
// Chunk buffers for files larger than one chunk, reused across the files a worker reads at once.
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 16;

function readFully(fd: number, into: Buffer, at: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, at + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

// The digests of one worker's files share a batch (MD5 lanes); `custos hash` gets one of its own.
const ownBatch = new DigestBatch();

export async function readFileOnce(locator: FileLocator, name: string, keepImagesUpTo: number, batch: DigestBatch = ownBatch): Promise<ReadOutcome> {
  const file = await openSourceFile(pathBuffer(locator.path));
  let chunk: Buffer | null = null;
  try {
    const changed = () => new SourceReadError('changed', `file changed while being read (it had ${file.size} bytes when opened)`);
    const atEnd = () => readSync(file.fd, probe, 0, 1, file.size) === 0;
    const readAll = (into: Buffer, length: number, position: number) => {
      if (readFully(file.fd, into, 0, length, position) !== length) throw changed();
    };
    // The type decides what happens to the rest, so it is read first, on its own.
    const head = Buffer.allocUnsafe(Math.min(file.size, SNIFF_BYTES));
    readAll(head, head.length, 0);
    const type = await detectType(head, name);
    if (isImageMime(type.mime) && file.size <= keepImagesUpTo) {
      const release = await holdImage(file.size);
      try {
        const whole = Buffer.allocUnsafe(file.size);
        readAll(whole, file.size, 0);
        if (!atEnd()) throw changed();
        return { digests: batch.later(whole).digests, type, whole, atimePreserved: file.atimePreserved, release };
      } catch (err) {
        release();
        throw err;
      }
    }
    chunk = file.size > CHUNK ? (spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK)) : Buffer.allocUnsafe(file.size);
    const stream = batch.open();
    for (let position = 0; ; ) {
      const length = Math.min(CHUNK, file.size - position);
      readAll(chunk, length, position);
      position += length;
      const last = position === file.size;
      if (last && !atEnd()) throw changed();
      await stream.update(chunk.subarray(0, length), last);
      if (last) break;
    }
    const digests = stream.digests();
    return { digests: () => Promise.resolve(digests), type, whole: null, atimePreserved: file.atimePreserved, release: noop };
  } finally {
    if (chunk !== null && file.size > CHUNK && spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
    closeSync(file.fd);
  }
}

/**
 * The same for a stream (an archive entry): digests always; the type is decided on the first
 * bytes, and the bytes are kept only for an image within the size limit.
 */
export async function readStreamOnce(stream: Readable, name: string, keepImagesUpTo: number, atimePreserved: boolean): Promise<ReadOutcome> {
  const digest = new DigestStream();
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let type: DetectedType | null = null;
  let keep = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    digest.update(chunk);
    if (!keep) continue;
    kept.push(chunk);
    keptBytes += chunk.length;
    if (type === null && keptBytes >= SNIFF_BYTES) {
      type = await detectType(Buffer.concat(kept).subarray(0, SNIFF_BYTES), name);
      keep = isImageMime(type.mime);
    }
    if (keep && keptBytes > keepImagesUpTo) keep = false;
    if (!keep) kept.length = 0;
  }
  const whole = keep ? Buffer.concat(kept) : null;
  type ??= await detectType(whole ?? Buffer.alloc(0), name);
  const digests = digest.digest();
  return { digests: () => Promise.resolve(digests), type, whole: keep && isImageMime(type.mime) ? whole : null, atimePreserved, release: noop };
}
