// The compiled kernels must give exactly what the TypeScript implementations (which follow the
// references) give: same 64x64 PDQ block bit for bit, same blockhash, on sizes that exercise
// every path (even and uneven block splits, small, odd, tall, wide, RGB and RGBA).
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { nativeKernels } from '../../../electron/analysis/native-kernels.js';
import { pdqDownsampleInScript, pdqHash } from '../../../electron/analysis/pdq.js';
import { blockhash256, blockhash256InScript } from '../../../electron/analysis/blockhash.js';
import { pdqBlurs } from '../../../electron/analysis/pdq.js';
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

// blockhash-core's bmvbhash and bmvbhashEven, block accumulation only, transcribed literally:
// the native sums must be these doubles exactly, not merely give the same bits.
function referenceBlockSums(data: Uint8Array, width: number, height: number, bits: number): Float64Array {
  const value = (ii: number) => ((data[ii + 3] ?? 0) === 0 ? 765 : (data[ii] ?? 0) + (data[ii + 1] ?? 0) + (data[ii + 2] ?? 0));
  const blocks = new Float64Array(bits * bits);
  const evenX = width % bits === 0;
  const evenY = height % bits === 0;
  if (evenX && evenY) {
    const bx = Math.floor(width / bits);
    const by = Math.floor(height / bits);
    for (let y = 0; y < bits; y++) {
      for (let x = 0; x < bits; x++) {
        let total = 0;
        for (let iy = 0; iy < by; iy++) for (let ix = 0; ix < bx; ix++) total += value(((y * by + iy) * width + x * bx + ix) * 4);
        blocks[y * bits + x] = total;
      }
    }
    return blocks;
  }
  const split = (i: number, length: number, size: number, even: boolean): [number, number, number, number] => {
    if (even) return [Math.floor(i / size), Math.floor(i / size), 1, 0];
    const mod = (i + 1) % size;
    const frac = mod - Math.floor(mod);
    const whole = mod - frac;
    if (whole > 0 || i + 1 === length) return [Math.floor(i / size), Math.floor(i / size), 1 - frac, frac];
    return [Math.floor(i / size), Math.ceil(i / size), 1 - frac, frac];
  };
  for (let y = 0; y < height; y++) {
    const [top, bottom, wTop, wBottom] = split(y, height, height / bits, evenY);
    for (let x = 0; x < width; x++) {
      const v = value((y * width + x) * 4);
      const [left, right, wLeft, wRight] = split(x, width, width / bits, evenX);
      blocks[top * bits + left] = (blocks[top * bits + left] ?? 0) + v * wTop * wLeft;
      blocks[top * bits + right] = (blocks[top * bits + right] ?? 0) + v * wTop * wRight;
      blocks[bottom * bits + left] = (blocks[bottom * bits + left] ?? 0) + v * wBottom * wLeft;
      blocks[bottom * bits + right] = (blocks[bottom * bits + right] ?? 0) + v * wBottom * wRight;
    }
  }
  return blocks;
}

function sameBytes(a: ArrayBufferView | undefined | null, b: ArrayBufferView): boolean {
  if (a === undefined || a === null) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
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

  it.each(SIZES)('blockhash block sums are blockhash-core\'s doubles exactly at %ix%i', async (width, height) => {
    const data = await rgba(width, height, width * 5 + height);
    // 16 and 8: the integer route; 12 and 6: the double route, in blockhash-core's order.
    for (const bits of [16, 8, 12, 6]) {
      if (width < bits || height < bits) continue;
      expect(sameBytes(nativeKernels?.blockhashBlocks(data, width, height, bits), referenceBlockSums(data, width, height, bits)), `bits ${bits}`).toBe(true);
    }
  });

  it.each(SIZES)('the single pass gives what each kernel gives alone at %ix%i', async (width, height) => {
    const data = await rgba(width, height, width * 11 + height);
    const factor = Math.max(0, Math.floor(Math.max(width, height) / 256));
    const pass = nativeKernels?.imagePass(data, width, height, pdqBlurs(width, height), 16, factor >= 2 ? factor : 0);
    const pdq = pdqDownsampleInScript({ data, width, height, channels: 4 }, pdqBlurs(width, height));
    expect(sameBytes(pass?.pdq, pdq)).toBe(true);
    expect(sameBytes(pass?.blockhash, referenceBlockSums(data, width, height, 16))).toBe(true);
    if (factor >= 2) expect(sameBytes(pass?.shrunk, nativeKernels?.boxShrink(data, width, height, 4, factor) ?? new Uint8Array(0))).toBe(true);
    else expect(pass?.shrunk).toBeNull();
  });

  it('area-averages to a smaller size', () => {
    // 4x2 RGBA -> 2x1: each output pixel the mean of a 2x2 block, rounded.
    const data = Uint8Array.from([0, 0, 0, 255, 10, 20, 30, 255, 200, 100, 0, 255, 201, 100, 0, 255, 2, 0, 0, 255, 12, 20, 30, 255, 200, 100, 0, 255, 200, 101, 0, 255]);
    expect(Array.from(nativeKernels?.areaResize(data, 4, 2, 4, 2, 1) ?? [])).toEqual([6, 10, 15, 255, 200, 100, 0, 255]);
    // A third of a pixel each way: 3 -> 2 columns weigh the middle column half to each side.
    const row = Uint8Array.from([0, 90, 180]);
    expect(Array.from(nativeKernels?.areaResize(row, 3, 1, 1, 2, 1) ?? [])).toEqual([30, 150]);
    const flat = new Uint8Array(300 * 200 * 4).fill(77);
    expect(new Set(nativeKernels?.areaResize(flat, 300, 200, 4, 256, 171))).toEqual(new Set([77]));
    expect(() => nativeKernels?.areaResize(row, 3, 1, 1, 4, 1)).toThrow(/only reduces/);
  });

  it('refuses a buffer smaller than the size it is given', () => {
    expect(() => nativeKernels?.pdqDownsample(new Uint8Array(10), 100, 100, 4, true)).toThrow(/too small/);
    expect(() => nativeKernels?.blockhashBlocks(new Uint8Array(10), 100, 100, 16)).toThrow(/too small/);
    expect(() => nativeKernels?.pdqDownsample(new Uint8Array(400), 10, 10, 2 as 3, true)).toThrow(/channels/);
    expect(() => nativeKernels?.imagePass(new Uint8Array(10), 100, 100, true, 16, 0)).toThrow(/too small/);
    expect(() => nativeKernels?.imagePass(new Uint8Array(40000), 100, 100, true, 12, 0)).toThrow(/power of two/);
  });
});
