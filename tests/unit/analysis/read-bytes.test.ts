// One read per file feeds the digests and, for an image, the decode: the digests must be
// node:crypto's at every chunk boundary, images are kept whole only within the limit, and a
// worker holds only a few images whole at a time however many files it has in hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readFileOnce, type ReadOutcome } from '../../../electron/analysis/read-bytes.js';
import { fileLocator } from '../../../electron/intake/locator.js';

const MiB = 1024 * 1024;
let dir: string;
let png: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custos-read-bytes-'));
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 10, g: 120, b: 200 } } }).png().toBuffer();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const read = (path: string, keep = 64 * MiB) => readFileOnce(fileLocator(path), path, keep);
// File reads finish on libuv's threads: wait for what must happen (a busy machine may take many
// turns), then a while for what must not.
async function until(condition: () => boolean): Promise<void> {
  for (const start = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, 5))) {
    if (Date.now() - start > 10_000) throw new Error('timed out waiting');
  }
}
const aWhile = () => new Promise<void>((resolve) => setTimeout(resolve, 150));

describe('readFileOnce', () => {
  it.each([0, 1, 4100, 4101, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 9 * MiB + 77])('hashes a %i-byte file as node:crypto does', async (size) => {
    const bytes = randomBytes(size);
    const outcome = await read(write(`random-${size}.bin`, bytes));
    expect(await outcome.digests()).toEqual({
      md5: createHash('md5').update(bytes).digest('hex'),
      sha1: createHash('sha1').update(bytes).digest('hex'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size,
    });
    expect(outcome.whole).toBeNull();
    outcome.release();
  });

  it('keeps an image whole, by its content, and not one above the limit', async () => {
    const path = write('renamed.txt', png);
    const kept = await read(path);
    expect(kept.type.mime).toBe('image/png');
    expect(kept.whole?.equals(png)).toBe(true);
    expect((await kept.digests()).sha256).toBe(createHash('sha256').update(png).digest('hex'));
    kept.release();
    const over = await read(path, png.length - 1);
    expect(over.type.mime).toBe('image/png');
    expect(over.whole).toBeNull();
    expect((await over.digests()).md5).toBe(createHash('md5').update(png).digest('hex'));
  });

  it('holds four images whole at a time and reads the next when one is released', async () => {
    const paths = Array.from({ length: 6 }, (_, i) => write(`image-${i}.png`, png));
    const outcomes: ReadOutcome[] = [];
    const reading = paths.map((path) => read(path).then((outcome) => (outcomes.push(outcome), outcome)));
    await until(() => outcomes.length >= 4);
    await aWhile();
    expect(outcomes).toHaveLength(4);
    outcomes[0]?.release();
    await until(() => outcomes.length >= 5);
    await aWhile();
    expect(outcomes).toHaveLength(5);
    // Releasing twice frees one slot, not two.
    outcomes[0]?.release();
    await aWhile();
    expect(outcomes).toHaveLength(5);
    outcomes[1]?.release();
    const all = await Promise.all(reading);
    expect(all.every((o) => o.whole?.equals(png))).toBe(true);
    for (const o of all) o.release();
  });
});
