// The per-item analysis a worker runs: a pure function of its input (a locator and limits)
// that reads the bytes once and returns plain data. It never opens the store; the engine
// writes what comes back.
import type { Digests } from './digests.js';
import type { DigestBatch } from './digest-batch.js';
import { readFileOnce, readStreamOnce, type ReadOutcome } from './read-bytes.js';
import { decodeForHashing, DecodeError } from './decode.js';
import { readExif, type ExifSummary } from './exif.js';
import { isImageMime, isZipMime, type DetectedType } from './file-type.js';
import { imagePass } from './image-pass.js';
import { Slots } from './slots.js';
import { encodeThumbnail, type Thumbnail } from './thumbnail.js';
import { openLocator } from '../intake/read.js';
import { listZip, type ZipLimits, type ZipListing } from '../intake/zip-listing.js';
import type { Locator } from '../intake/locator.js';
import type { ArchiveCache } from '../intake/archive-cache.js';

export type AnalysisLimits = {
  /** Images larger than this are hashed but not decoded (decoding needs them whole in memory). */
  readonly maxImageBytes: number;
  /** sharp's decompression-bomb guard. */
  readonly limitInputPixels: number;
  readonly zip: ZipLimits;
};

export type AnalysisTask = {
  readonly itemId: number;
  readonly locator: Locator;
  /** The item's display name: its extension is compared with the content type. */
  readonly name: string;
  readonly limits: AnalysisLimits;
  readonly thumbnails: boolean;
  /** Digests and type only: the exact-hash path, without decoding or opening archives. */
  readonly digestsOnly?: boolean;
};

export type ImageAnalysis = {
  readonly width: number;
  readonly height: number;
  readonly pdq: string;
  readonly pdqQuality: number;
  /** The 8 dihedral PDQ variants, original first (DIHEDRAL_NAMES order). */
  readonly pdqVariants: readonly string[];
  readonly blockhash: string;
  readonly exif: ExifSummary | null;
  readonly thumbnail: Thumbnail | null;
};

export type AnalysisResult =
  | {
      readonly itemId: number;
      readonly ok: true;
      readonly digests: Digests;
      readonly type: DetectedType;
      readonly image: ImageAnalysis | null;
      readonly archive: ZipListing | null;
      /** A problem after the bytes were hashed (an undecodable image): recorded, not fatal. */
      readonly error: string | null;
      /** False when reading may have moved the source file's access time (no O_NOATIME allowed). */
      readonly atimePreserved: boolean;
    }
  | { readonly itemId: number; readonly ok: false; readonly error: string };

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.trim() || 'unknown error';
}

// A worker holds many files at once (pool.ts) but decodes two images at a time: enough to keep
// its core busy while the other's pixels are hashed, and the decoded pixels (up to 16 MB an
// image) of only two images in memory.
const decodes = new Slots(2);

// Returns no reference to the decoded pixels: what outlives this function's last await (the
// thumbnail's encoding) would keep them alive into V8's old generation, where only a full
// collection frees the 12 MB of a 12 MP image.
async function decodeAndPass(bytes: Buffer, task: AnalysisTask) {
  const [decoded, exif] = await Promise.all([decodeForHashing(bytes, { limitInputPixels: task.limits.limitInputPixels }), readExif(bytes)]);
  const pass = imagePass({ data: decoded.data, width: decoded.width, height: decoded.height }, task.thumbnails);
  return { width: decoded.originalWidth, height: decoded.originalHeight, exif, pass };
}

async function analyseImage(bytes: Buffer, task: AnalysisTask): Promise<ImageAnalysis> {
  const release = await decodes.take();
  const { width, height, exif, pass } = await decodeAndPass(bytes, task).finally(release);
  return {
    width,
    height,
    pdq: pass.pdq.hash,
    pdqQuality: pass.pdq.quality,
    pdqVariants: pass.pdqVariants,
    blockhash: pass.blockhash,
    exif,
    thumbnail: pass.thumbnailSource === null ? null : await encodeThumbnail(pass.thumbnailSource),
  };
}

/**
 * `cache` remembers archives across calls of one worker (entries of one zip come in runs);
 * `batch` hashes the files a worker has in hand together.
 */
export async function analyse(task: AnalysisTask, cache?: ArchiveCache, batch?: DigestBatch): Promise<AnalysisResult> {
  let read: ReadOutcome;
  try {
    const keep = task.digestsOnly === true ? 0 : task.limits.maxImageBytes;
    if (task.locator.kind === 'file') read = await readFileOnce(task.locator, task.name, keep, batch);
    else {
      const opened = await openLocator(task.locator, task.limits.zip, cache);
      read = await readStreamOnce(opened.stream, task.name, keep, opened.atimePreserved);
    }
  } catch (err) {
    return { itemId: task.itemId, ok: false, error: oneLine(err) };
  }
  const { type } = read;
  let image: ImageAnalysis | null = null;
  let archive: ZipListing | null = null;
  let error: string | null = null;
  // digestsOnly: the caller wants the exact-hash path alone, no decode and no archive listing.
  const deep = task.digestsOnly !== true;
  try {
    if (deep && isImageMime(type.mime)) {
      if (read.whole === null) error = `image larger than ${task.limits.maxImageBytes} bytes: hashed, not decoded`;
      else {
        try {
          image = await analyseImage(read.whole, task);
        } catch (err) {
          error = err instanceof DecodeError ? err.message : `image could not be analysed: ${oneLine(err)}`;
        }
      }
    } else if (deep && isZipMime(type.mime)) {
      archive = await listZip(task.locator, task.limits.zip, cache);
    }
    return { itemId: task.itemId, ok: true, digests: await read.digests(), type, image, archive, error, atimePreserved: read.atimePreserved };
  } finally {
    read.release();
  }
}
