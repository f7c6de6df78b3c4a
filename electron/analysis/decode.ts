// Decodes an image once, to the pixels every perceptual hash is computed from. Reference tools
// and the hash sets made with them (python-threatexchange on Pillow, blockhash-python, the C
// tools on ImageMagick) hash the pixels as stored, so this decoder deliberately does what they do
// rather than what a viewer would: no EXIF rotation, no ICC colour management, alpha kept
// alongside (not composited into) the colour, naive CMYK inversion. Each choice is checked
// against the shared vectors by tests/unit/analysis.
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { createRequire } from 'node:module';

// Parallelism comes from the worker pool (one image per worker); libvips threads inside each
// decode would only oversubscribe the cores and make throughput depend on image size.
sharp.concurrency(1);
// The operation cache keeps decoded pixels of evidence in memory after use and buys nothing
// when every file is decoded once.
sharp.cache(false);

export type DecodedImage = {
  /** RGBA, 8 bits per channel, interleaved, row-major. */
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  /** Size as stored in the file, before any working-size reduction. */
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** Container format as detected from the bytes: jpeg, png, webp, gif, tiff, heif. */
  readonly format: string;
};

export type DecodeOptions = {
  /** Refuse images with more pixels than this (width x height as declared in the header). */
  readonly limitInputPixels?: number;
};

export type DecodeErrorKind = 'unsupported' | 'corrupt' | 'too-large';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** sharp's own default: 0x3FFF x 0x3FFF. */
export const DEFAULT_LIMIT_INPUT_PIXELS = 268_402_689;

// Hashes of a decode reduced to >= 1024 px on the long side stay within 2 bits of a full
// decode (docs/ARCHITECTURE.md "Hashing rules"; checked in decode-working-size.test.ts); only
// images above twice that are reduced, so most photos are hashed at full size.
const REDUCE_ABOVE = 2048;
const MIN_WORKING_LONG_SIDE = 1024;
const REDUCTION_FACTORS = [8, 4, 2] as const;

// Raster formats only. SVG is a document that libvips renders (and may make it read other
// files); it has no stored pixels to hash.
const RASTER_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

export async function decodeForHashing(input: Buffer, options: DecodeOptions = {}): Promise<DecodedImage> {
  const limit = options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limitInputPixels must be a positive integer');
  if (input.length === 0) throw new DecodeError('unsupported', 'empty input');

  let metadata: Metadata;
  try {
    metadata = await sharp(input, inputOptions(limit)).metadata();
  } catch (error) {
    // libvips may not even parse the header of an HEVC-coded HEIF.
    if (looksLikeHeif(input)) return decodeHeif(input, limit, error);
    throw toDecodeError(error);
  }
  const { format, width, height } = metadata;
  if (!RASTER_FORMATS.has(format)) throw new DecodeError('unsupported', `unsupported image format: ${format}`);
  if (width === undefined || height === undefined) throw new DecodeError('corrupt', 'image has no dimensions');

  try {
    return await decodeWithSharp(input, limit, format, width, height, metadata.space === 'cmyk');
  } catch (error) {
    // The prebuilt libvips has no HEVC decoder (patents); AVIF-coded HEIF does decode above.
    if (format === 'heif') return decodeHeif(input, limit, error);
    throw toDecodeError(error);
  }
}

function inputOptions(limitInputPixels: number): SharpOptions {
  return {
    limitInputPixels,
    // Truncation and decoder errors fail; mere warnings (e.g. stray bytes before a JPEG marker,
    // common in camera files) do not, as with the reference decoders.
    failOn: 'error',
    // The reference tools do not colour-manage: converting through an embedded profile moves
    // blockhash by up to 14 bits on the shared vectors.
    ignoreIcc: true,
    // First frame of an animation, first page of a multi-page TIFF.
    page: 0,
    pages: 1,
  };
}

async function decodeWithSharp(
  input: Buffer,
  limit: number,
  format: string,
  width: number,
  height: number,
  cmyk: boolean,
): Promise<DecodedImage> {
  let pipeline = sharp(input, inputOptions(limit));
  if (cmyk) pipeline = pipeline.pipelineColourspace('cmyk');
  const working = workingSize(width, height);
  if (working !== null) {
    // The exact reduced size lets libvips shrink in the decoder where sharp allows it: WebP
    // scales on load to exactly this size; for JPEG, sharp 0.35 asks libjpeg for only half the
    // factor (it lowers an exact integer shrink, pipeline.cc "known libjpeg rounding errors"),
    // so 1/4 and 1/8 decode at 1/2 and 1/4 and a factor of 2 decodes in full, then lanczos3
    // resamples the last 2x. Verified by comparing outputs; the kernel does not move the hashes.
    // libvips resamples alpha images premultiplied, so fully transparent pixels come out black
    // rather than in their stored colour (which the reference tools hash). Encoders mostly store
    // black there anyway; only images above 2048 px are affected.
    pipeline = pipeline.resize(working.width, working.height, { fit: 'fill', fastShrinkOnLoad: true });
  }
  if (cmyk) {
    // Keep the ink values: libvips would otherwise go through a CMYK profile.
    const { data, info } = await pipeline.toColourspace('cmyk').raw().toBuffer({ resolveWithObject: true });
    const rgba = rgbaFromCmyk(data, info.width * info.height, info.channels);
    return { data: rgba, width: info.width, height: info.height, originalWidth: width, originalHeight: height, format };
  }
  const { data, info } = await pipeline.toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new DecodeError('unsupported', `unexpected ${info.channels}-channel decode`);
  return { data, width: info.width, height: info.height, originalWidth: width, originalHeight: height, format };
}

/** The reduced size for hashing, or null to hash at full size. */
export function workingSize(width: number, height: number): { width: number; height: number } | null {
  const longSide = Math.max(width, height);
  if (longSide <= REDUCE_ABOVE) return null;
  const factor = REDUCTION_FACTORS.find((f) => longSide / f >= MIN_WORKING_LONG_SIDE) ?? 2;
  return { width: Math.max(1, Math.round(width / factor)), height: Math.max(1, Math.round(height / factor)) };
}

// Pillow's cmyk2rgb (what python-threatexchange hashes): each channel is (255 - ink) scaled by
// (255 - K), with its rounding, and no colour profile. A fifth channel is alpha.
function rgbaFromCmyk(cmyk: Buffer, pixels: number, channels: number): Buffer {
  const rgba = Buffer.alloc(pixels * 4);
  for (let p = 0, q = 0; p < pixels; p++, q += channels) {
    const notBlack = 255 - (cmyk[q + 3] ?? 0);
    for (let c = 0; c < 3; c++) {
      const t = (cmyk[q + c] ?? 0) * notBlack + 128;
      rgba[p * 4 + c] = notBlack - (((t >> 8) + t) >> 8);
    }
    rgba[p * 4 + 3] = channels > 4 ? (cmyk[q + 4] ?? 255) : 255;
  }
  return rgba;
}

// ISO-BMFF 'ftyp' box naming a HEIF brand (major or compatible).
const HEIF_BRANDS: ReadonlySet<string> = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

function looksLikeHeif(input: Buffer): boolean {
  if (input.length < 16 || input.toString('latin1', 4, 8) !== 'ftyp') return false;
  const boxEnd = Math.min(input.readUInt32BE(0), input.length, 64);
  for (let offset = 8; offset + 4 <= boxEnd; offset += 4) {
    if (offset === 12) continue; // minor version, not a brand
    if (HEIF_BRANDS.has(input.toString('latin1', offset, offset + 4))) return true;
  }
  return false;
}

type HeifImage = { width: number; height: number; decode(): Promise<{ width: number; height: number; data: Uint8ClampedArray }> };
type HeifImages = HeifImage[] & { dispose(): void };
type HeicDecode = { all(input: { buffer: Uint8Array }): Promise<HeifImages> };

let heicDecoder: HeicDecode | undefined;

// heic-decode is CommonJS without types and instantiates a 1.4 MB WebAssembly libheif on load:
// loaded on the first HEIC only.
function loadHeicDecoder(): HeicDecode {
  heicDecoder ??= createRequire(import.meta.url)('heic-decode') as HeicDecode;
  return heicDecoder;
}

async function decodeHeif(input: Buffer, limit: number, sharpError: unknown): Promise<DecodedImage> {
  let images: HeifImages;
  try {
    images = await loadHeicDecoder().all({ buffer: input });
  } catch {
    throw toDecodeError(sharpError);
  }
  try {
    const primary = images[0];
    if (primary === undefined) throw new DecodeError('corrupt', 'HEIF file holds no image');
    const { width, height } = primary;
    if (width * height > limit) throw new DecodeError('too-large', `image of ${width}x${height} exceeds the pixel limit`);
    let decoded: { width: number; height: number; data: Uint8ClampedArray };
    try {
      decoded = await primary.decode();
    } catch (error) {
      throw new DecodeError('corrupt', `HEIF decode failed: ${firstLine(error)}`);
    }
    const rgba = Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
    const original = { originalWidth: width, originalHeight: height, format: 'heif' };
    const working = workingSize(decoded.width, decoded.height);
    if (working === null) return { data: rgba, width: decoded.width, height: decoded.height, ...original };
    const raw = { width: decoded.width, height: decoded.height, channels: 4 } as const;
    const { data, info } = await sharp(rgba, { raw, limitInputPixels: limit })
      .resize(working.width, working.height, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, ...original };
  } finally {
    images.dispose();
  }
}

function toDecodeError(error: unknown): DecodeError {
  if (error instanceof DecodeError) return error;
  const message = firstLine(error);
  if (/exceeds pixel limit/i.test(message)) return new DecodeError('too-large', message);
  if (/unsupported image format|Input Buffer is empty/i.test(message)) return new DecodeError('unsupported', message);
  return new DecodeError('corrupt', message);
}

// libvips can return a page of repeated diagnostics; the store and the UI want one line.
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? 'decode failed';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
