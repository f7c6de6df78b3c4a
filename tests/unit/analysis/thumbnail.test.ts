// The review thumbnail: exact size inside 256 px, aspect kept, WebP, alpha only when the image
// has transparency, and the native and sharp-only routes agree on what the picture is.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { encodeThumbnail, thumbnailSize, type Thumbnail } from '../../../electron/analysis/thumbnail.js';
import { imagePass } from '../../../electron/analysis/image-pass.js';
import { blockhash256InScript } from '../../../electron/analysis/blockhash.js';
import { pdqHash } from '../../../electron/analysis/pdq.js';
import { sceneSvg } from '../../fixtures/synthetic-images.js';

async function scene(width: number, height: number, seed: number): Promise<Buffer> {
  return sharp(Buffer.from(sceneSvg(width, height, seed))).ensureAlpha().raw().toBuffer();
}

// The thumbnail as analysis makes it: the single pass's block average, then the encoder.
function thumbnailOf(data: Uint8Array, width: number, height: number): Promise<Thumbnail> {
  return encodeThumbnail(imagePass({ data, width, height }, true).thumbnailSource ?? { data, width, height });
}

describe('thumbnails', () => {
  it('fits inside 256 px with the aspect kept and never enlarges', () => {
    expect(thumbnailSize(2000, 1500)).toEqual({ width: 256, height: 192 });
    expect(thumbnailSize(1500, 2000)).toEqual({ width: 192, height: 256 });
    expect(thumbnailSize(4000, 10)).toEqual({ width: 256, height: 1 });
    expect(thumbnailSize(200, 100)).toEqual({ width: 200, height: 100 });
  });

  it('encodes a WebP of that size, without alpha for an opaque image and with it otherwise', async () => {
    const data = await scene(2000, 1500, 3);
    const opaque = await thumbnailOf(data, 2000, 1500);
    const meta = await sharp(opaque.webp).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['webp', 256, 192, false]);
    expect([opaque.width, opaque.height]).toEqual([256, 192]);

    const holed = Buffer.from(data);
    for (let i = 3; i < holed.length; i += 4 * 97) holed[i] = 0;
    const transparent = await thumbnailOf(holed, 2000, 1500);
    expect((await sharp(transparent.webp).metadata()).hasAlpha).toBe(true);
  });

  it('shows the same picture from the single pass as from a plain sharp resize', async () => {
    const data = await scene(1600, 1200, 9);
    const pass = imagePass({ data, width: 1600, height: 1200 }, true);
    expect(pass.thumbnailSource).not.toBeNull();
    const ours = await sharp((await encodeThumbnail(pass.thumbnailSource ?? { data, width: 1600, height: 1200 })).webp).raw().toBuffer();
    const plain = await sharp(data, { raw: { width: 1600, height: 1200, channels: 4 } }).resize(256, 192).removeAlpha().raw().toBuffer();
    let diff = 0;
    for (let i = 0; i < plain.length; i++) diff += Math.abs((ours[i] ?? 0) - (plain[i] ?? 0));
    // Mean absolute difference per channel, in 8-bit levels: WebP at q75 alone accounts for a few.
    expect(diff / plain.length).toBeLessThan(6);
  });

  it('gives the single pass the same hashes as the separate implementations', async () => {
    for (const [width, height] of [
      [2000, 1500],
      [64, 64],
      [4, 300],
    ] as const) {
      const data = await scene(width, height, width + height);
      const pass = imagePass({ data, width, height }, false);
      expect(pass.pdq).toEqual(pdqHash({ data, width, height, channels: 4 }));
      expect(pass.blockhash).toBe(blockhash256InScript({ data, width, height }));
      expect(pass.thumbnailSource).toBeNull();
    }
  });
});
