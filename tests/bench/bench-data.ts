// Generated benchmark inputs, kept under the system temp dir between runs (they take minutes
// to make). Random bytes and synthetic scenes only.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seeded, syntheticImage } from '../fixtures/synthetic-images.js';

export const BENCH_DIR = process.env.CUSTOS_BENCH_DIR ?? join(tmpdir(), 'custos-bench');

function ready(dir: string): boolean {
  return existsSync(join(dir, '.complete'));
}

function done(dir: string): void {
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
}

/** Regular files under dir (recursively), with their sizes. */
export function listFiles(dir: string): { path: string; size: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name !== '.complete')
    .map((d) => {
      const path = join(d.parentPath, d.name);
      return { path, size: statSync(path).size };
    });
}

/** About `totalBytes` of incompressible files, sizes spread as on a real disk: many small, a few large. */
export function mixedTree(totalBytes: number): string {
  const dir = join(BENCH_DIR, `mixed-${Math.round(totalBytes / 2 ** 20)}m`);
  if (ready(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  const rnd = seeded(7);
  let written = 0;
  for (let i = 0; written < totalBytes; i += 1) {
    const r = rnd();
    // 70 % small (4 KiB-512 KiB), 25 % medium (1-16 MiB), 5 % large (32-128 MiB).
    const size = r < 0.7 ? 4096 + Math.floor(rnd() * 512 * 1024) : r < 0.95 ? 2 ** 20 + Math.floor(rnd() * 15 * 2 ** 20) : 2 ** 25 + Math.floor(rnd() * 96 * 2 ** 20);
    const sub = join(dir, `d${i % 16}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.bin`), randomBytes(Math.min(size, totalBytes - written)));
    written += size;
  }
  done(dir);
  return dir;
}

/** `count` camera-like JPEGs of 4000x3000 (12 MP) with sensor noise and EXIF. */
export async function cameraJpegs(count: number): Promise<string> {
  const dir = join(BENCH_DIR, `jpeg-12mp-${count}`);
  if (ready(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i += 2) {
    await Promise.all(
      [i, i + 1]
        .filter((n) => n < count)
        .map(async (n) => writeFileSync(join(dir, `IMG_${String(n).padStart(4, '0')}.JPG`), await syntheticImage(5000 + n, { width: 4000, height: 3000, noise: true, exif: true, quality: 90 }))),
    );
    if (i % 50 === 0) process.stderr.write(`  generating JPEGs: ${i}/${count}\n`);
  }
  done(dir);
  return dir;
}

/** `count` small files (1-8 KiB) in a deep-ish tree, for the memory benchmark. */
export function manySmallFiles(count: number): string {
  const dir = join(BENCH_DIR, `small-${count}`);
  if (ready(dir)) return dir;
  const rnd = seeded(99);
  for (let i = 0; i < count; i += 1) {
    const sub = join(dir, `a${i % 100}`, `b${Math.floor(i / 100) % 100}`);
    if (i < 10_000) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `file${i}.txt`), `record ${i} `.repeat(Math.floor(100 + rnd() * 700)));
  }
  done(dir);
  return dir;
}
