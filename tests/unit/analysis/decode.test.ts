// decodeForHashing: every supported layout becomes 8-bit RGBA as stored, and bad input becomes
// a DecodeError of the right kind, quickly, without taking the process down.
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DecodeError, type DecodeErrorKind, decodeForHashing } from '../../../electron/analysis/decode.js';
import { hammingDistance, pdqHash } from '../../../electron/analysis/pdq.js';
import { noisyScene, sceneImage } from '../../fixtures/noisy-scenes.js';

const WIDTH = 300;
const HEIGHT = 200;

async function pdqOf(bytes: Buffer): Promise<string> {
  const image = await decodeForHashing(bytes);
  return pdqHash({ ...image, channels: 4 }).hash;
}

async function expectDecodeError(promise: Promise<unknown>, kind: DecodeErrorKind): Promise<DecodeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DecodeError);
  const decodeError = error as DecodeError;
  expect(decodeError.kind, decodeError.message).toBe(kind);
  expect(decodeError.message).not.toContain('\n');
  return decodeError;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG signature and IHDR (correct CRC) declaring a huge RGB image, with a tiny IDAT. */
function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodeForHashing: layouts', async () => {
  const scene = await noisyScene(3, WIDTH, HEIGHT, 20);
  const reference = await pdqOf(await sceneImage(scene).png().toBuffer());
  // Two frames: the scene, then its negative. Only the first may be hashed.
  const animation = async () =>
    sharp([await sceneImage(scene).png().toBuffer(), await sceneImage(scene).negate().png().toBuffer()], { join: { animated: true } });

  // Lossless layouts must hash identically; palette, AVIF and lossy ones get the measured
  // distance (0, JPEG 2) plus 2 bits of slack for codec updates.
  it.each([
    ['palette PNG', 2, () => sceneImage(scene).png({ palette: true, colours: 256, dither: 0 }).toBuffer()],
    ['16-bit RGB PNG', 0, () => sceneImage(scene).toColourspace('rgb16').png().toBuffer()],
    ['lossless WebP', 0, () => sceneImage(scene).webp({ lossless: true }).toBuffer()],
    ['TIFF', 0, () => sceneImage(scene).tiff({ compression: 'lzw' }).toBuffer()],
    ['lossless AVIF (HEIF container)', 2, () => sceneImage(scene).avif({ lossless: true }).toBuffer()],
    ['JPEG', 4, () => sceneImage(scene).jpeg({ quality: 95 }).toBuffer()],
    ['GIF', 2, () => sceneImage(scene).gif().toBuffer()],
    ['animated GIF (first frame)', 2, async () => (await animation()).gif().toBuffer()],
    ['animated WebP (first frame)', 0, async () => (await animation()).webp({ lossless: true }).toBuffer()],
  ] as const)('%s decodes to RGBA of the stored size, within %i bits of the PNG', async (_name, bits, make) => {
    const bytes = await make();
    const image = await decodeForHashing(bytes);
    expect([image.width, image.height, image.originalWidth, image.originalHeight]).toEqual([WIDTH, HEIGHT, WIDTH, HEIGHT]);
    expect(image.data.length).toBe(WIDTH * HEIGHT * 4);
    expect(hammingDistance(pdqHash({ ...image, channels: 4 }).hash, reference)).toBeLessThanOrEqual(bits);
  });

  it('replicates grey (8 and 16 bit, with or without alpha) into R, G and B', async () => {
    const grey = sceneImage(scene).greyscale();
    const eight = await decodeForHashing(await grey.clone().toColourspace('b-w').png().toBuffer());
    const sixteen = await decodeForHashing(await grey.clone().toColourspace('grey16').png().toBuffer());
    const withAlpha = await decodeForHashing(await grey.clone().toColourspace('b-w').ensureAlpha(0.5).png().toBuffer());
    for (let p = 0; p < 5000; p += 97) {
      const q = p * 4;
      const value = eight.data[q];
      expect([eight.data[q + 1], eight.data[q + 2], eight.data[q + 3]]).toEqual([value, value, 255]);
      // 16-bit samples keep their high byte, as Pillow, ImageMagick and libvips do.
      expect(Math.abs((sixteen.data[q] ?? 0) - (value ?? 0))).toBeLessThanOrEqual(1);
      expect([withAlpha.data[q], withAlpha.data[q + 3]]).toEqual([value, 127]); // ensureAlpha(0.5) stores 127
    }
  });

  it('keeps the stored colour of transparent pixels (alpha is not composited), as pytx and blockhash expect', async () => {
    const rgba = Buffer.alloc(8 * 8 * 4);
    for (let p = 0; p < 64; p++) rgba.set(p % 2 === 0 ? [200, 10, 30, 0] : [5, 150, 250, 77], p * 4);
    const png = await sharp(rgba, { raw: { width: 8, height: 8, channels: 4 } }).png().toBuffer();
    const image = await decodeForHashing(png);
    expect([...image.data.subarray(0, 8)]).toEqual([200, 10, 30, 0, 5, 150, 250, 77]);
  });

  it('does not apply EXIF orientation: the pixels are hashed as stored', async () => {
    const upright = await sceneImage(scene).jpeg({ quality: 95 }).toBuffer();
    const tagged = await sharp(upright).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(tagged).metadata()).orientation).toBe(6);
    const image = await decodeForHashing(tagged);
    expect([image.width, image.height]).toEqual([WIDTH, HEIGHT]);
    expect(hammingDistance(pdqHash({ ...image, channels: 4 }).hash, await pdqOf(upright))).toBeLessThanOrEqual(2);
  });

  it('refuses SVG: a document to render, not stored pixels', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    await expectDecodeError(decodeForHashing(svg), 'unsupported');
  });
});

describe('decodeForHashing: bad input', () => {
  it('reports a truncated JPEG as corrupt', async () => {
    const jpeg = await sceneImage(await noisyScene(4, 640, 480)).jpeg().toBuffer();
    await expectDecodeError(decodeForHashing(jpeg.subarray(0, Math.floor(jpeg.length * 0.6))), 'corrupt');
    await expectDecodeError(decodeForHashing(jpeg.subarray(0, 300)), 'corrupt');
  });

  it('reports random bytes and empty input as unsupported', async () => {
    let state = 7;
    const noise = Buffer.alloc(4096);
    for (let i = 0; i < noise.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      noise[i] = state >>> 24;
    }
    await expectDecodeError(decodeForHashing(noise), 'unsupported');
    await expectDecodeError(decodeForHashing(Buffer.alloc(0)), 'unsupported');
  });

  it('refuses a PNG whose header claims 100000x100000 before allocating anything', async () => {
    const bomb = pngClaiming(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const started = performance.now();
    const error = await expectDecodeError(decodeForHashing(bomb), 'too-large');
    expect(error.message).toMatch(/pixel limit/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('honours a caller-supplied pixel limit', async () => {
    const png = await sceneImage(await noisyScene(5, 120, 100)).png().toBuffer();
    await expectDecodeError(decodeForHashing(png, { limitInputPixels: 120 * 100 - 1 }), 'too-large');
    expect((await decodeForHashing(png, { limitInputPixels: 120 * 100 })).width).toBe(120);
    await expect(decodeForHashing(png, { limitInputPixels: 0 })).rejects.toThrow(RangeError);
  });

  it('reports a PNG whose pixel data does not match its header as corrupt', async () => {
    await expectDecodeError(decodeForHashing(pngClaiming(2000, 2000)), 'corrupt');
  });

  it('falls back to heic-decode for an HEVC-labelled HEIF and reports a broken one as corrupt', async () => {
    // No HEIC encoder is available offline: an AVIF relabelled as HEVC ('heic' brand, 'hvc1'
    // items) takes the same path as a real HEIC that libvips cannot decode.
    const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } }).avif().toBuffer();
    const relabelled = Buffer.from(avif.toString('latin1').replaceAll('av01', 'hvc1').replace('avif', 'heic'), 'latin1');
    await expectDecodeError(decodeForHashing(relabelled), 'corrupt');
  });
});
