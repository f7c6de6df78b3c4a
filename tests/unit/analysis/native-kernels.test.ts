// The compiled kernels must give exactly what the TypeScript implementations (which follow the
// references) give: same 64x64 PDQ block bit for bit, same blockhash, on sizes that exercise
// every path (even and uneven block splits, small, odd, tall, wide, RGB and RGBA).
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { nativeKernels } from '../../../electron/analysis/native-kernels.js';
import { pdqDownsampleInScript, pdqHash } from '../../../electron/analysis/pdq.js';
import { blockhash256, blockhash256InScript } from '../../../electron/analysis/blockhash.js';
import { sceneSvg, seeded } from '../../fixtures/synthetic-images.js';

const SIZES: readonly [number, number][] = [
  [2000, 1500],
  [1600, 1004],
  [1024, 768],
  [1023, 767],
  [640, 480],
  [333, 1201],
  [1999, 17],
  [64, 64],
  [65, 63],
  [16, 16],
  [5, 7],
];

async function rgba(width: number, height: number, seed: number): Promise<Buffer> {
  const base = await sharp(Buffer.from(sceneSvg(width, height, seed))).ensureAlpha().raw().toBuffer();
  // Seeded noise and a few fully transparent pixels (blockhash counts those as white).
  const rnd = seeded(seed);
  for (let i = 0; i < base.length; i += 4) {
    base[i] = Math.min(255, (base[i] ?? 0) + Math.floor(rnd() * 9));
    if (rnd() < 0.002) base[i + 3] = 0;
  }
  return base;
}

describe.skipIf(nativeKernels === null)('custos-native kernels', () => {
  it.each(SIZES)('PDQ downsampling is bit-identical to the TypeScript reference at %ix%i', async (width, height) => {
    const data = await rgba(width, height, width * 7 + height);
    for (const blur of [true, false]) {
      const ours = nativeKernels?.pdqDownsample(data, width, height, 4, blur);
      const reference = pdqDownsampleInScript({ data, width, height, channels: 4 }, blur);
      expect(Buffer.from(ours?.buffer ?? new ArrayBuffer(0)).equals(Buffer.from(reference.buffer)), `blur ${blur}`).toBe(true);
    }
    const rgb = await sharp(data, { raw: { width, height, channels: 4 } }).removeAlpha().raw().toBuffer();
    const ours3 = nativeKernels?.pdqDownsample(rgb, width, height, 3, true);
    const reference3 = pdqDownsampleInScript({ data: rgb, width, height, channels: 3 }, true);
    expect(Buffer.from(ours3?.buffer ?? new ArrayBuffer(0)).equals(Buffer.from(reference3.buffer))).toBe(true);
    expect(pdqHash({ data, width, height, channels: 4 }).hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(SIZES)('blockhash is identical to blockhash-core at %ix%i', async (width, height) => {
    const data = await rgba(width, height, width + height * 3);
    expect(blockhash256({ data, width, height })).toBe(blockhash256InScript({ data, width, height }));
  });

  it('refuses a buffer smaller than the size it is given', () => {
    expect(() => nativeKernels?.pdqDownsample(new Uint8Array(10), 100, 100, 4, true)).toThrow(/too small/);
    expect(() => nativeKernels?.blockhashBlocks(new Uint8Array(10), 100, 100, 16)).toThrow(/too small/);
    expect(() => nativeKernels?.pdqDownsample(new Uint8Array(400), 10, 10, 2 as 3, true)).toThrow(/channels/);
  });
});
