// npm run bench:ingest — intake throughput against its peers, measured in one run:
//  (a) exact-hash path (MD5+SHA-1+SHA-256) vs hashdeep on the same tree, and vs this machine's
//      limit (node:crypto's three digests over a cached buffer, one thread, times the cores);
//  (b) full image analysis vs the bare decode of the same JPEGs at the same working size;
//  (c) peak RSS of a real ingest of many small files.
// Sizes can be lowered for a quick look: BENCH_TREE_MB, BENCH_JPEGS, BENCH_SMALL_FILES; and
// BENCH_ONLY=a,b,c picks parts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { AnalysisPool } from '../../electron/analysis/pool.js';
import { DEFAULT_ANALYSIS_LIMITS } from '../../electron/intake/ingest.js';
import { fileLocator } from '../../electron/intake/locator.js';
import { cameraJpegs, listFiles, manySmallFiles, mixedTree } from './bench-data.js';

const THREADS = availableParallelism();
const TREE_MB = Number(process.env.BENCH_TREE_MB ?? 2048);
const JPEGS = Number(process.env.BENCH_JPEGS ?? 500);
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES ?? 100_000);
const MB = 1e6;
const ONLY = new Set((process.env.BENCH_ONLY ?? 'a,b,c').split(','));

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

function warmCache(dir: string): void {
  execFileSync('sh', ['-c', `find "${dir}" -type f -exec cat {} + > /dev/null`]);
}

/**
 * One thread hashing a cached buffer with all three digests: the per-core ceiling, taken at
 * the best chunk size (node:crypto's cost per call makes small updates slower).
 */
function hashLimitPerCore(): number {
  const buf = Buffer.alloc(256 * 2 ** 20, 7);
  let best = 0;
  for (const chunk of [1 << 20, 4 << 20, 16 << 20]) for (let round = 0; round < 2; round += 1) {
    const t0 = process.hrtime.bigint();
    const hashes = ['md5', 'sha1', 'sha256'].map((a) => createHash(a));
    for (let off = 0; off < buf.length; off += chunk) for (const h of hashes) h.update(buf.subarray(off, off + chunk));
    for (const h of hashes) h.digest();
    best = Math.max(best, buf.length / seconds(t0));
  }
  return best;
}

async function custosDigests(files: { path: string; size: number }[]): Promise<number> {
  const pool = new AnalysisPool({ threads: THREADS });
  try {
    let best = 0;
    for (let round = 0; round < 2; round += 1) {
      const t0 = process.hrtime.bigint();
      let bytes = 0;
      const queue = [...files];
      const lane = async () => {
        for (let f = queue.shift(); f; f = queue.shift()) {
          const r = await pool.run({ itemId: 0, locator: fileLocator(f.path), name: basename(f.path), limits: DEFAULT_ANALYSIS_LIMITS, thumbnails: false, digestsOnly: true });
          if (!r.ok) throw new Error(r.error);
          bytes += r.digests.size;
        }
      };
      // As many in flight as the engine keeps (ingest-analyse.ts): every worker's hand full.
      await Promise.all(Array.from({ length: pool.capacity }, lane));
      best = Math.max(best, bytes / seconds(t0));
    }
    return best;
  } finally {
    await pool.destroy();
  }
}

function hashdeep(dir: string, totalBytes: number): number {
  let best = 0;
  for (let round = 0; round < 2; round += 1) {
    const t0 = process.hrtime.bigint();
    execFileSync('hashdeep', ['-c', 'md5,sha1,sha256', '-r', dir], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
    best = Math.max(best, totalBytes / seconds(t0));
  }
  return best;
}

async function imagesPerSecond(files: string[], inFlight: number, run: (path: string) => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  const queue = [...files];
  const lane = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) await run(f);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return files.length / seconds(t0);
}

async function imageBench(dir: string): Promise<{ full: number; decode: number }> {
  const files = listFiles(dir).map((f) => f.path);
  const pool = new AnalysisPool({ threads: THREADS });
  // The peer is given both ways of running: one decode per worker at a time, and as many as
  // the analysis pool runs per worker; its better rate counts.
  const tasksPerThread = pool.capacity / THREADS;
  const decoders = [1, tasksPerThread].map((concurrentTasksPerWorker) => ({
    inFlight: THREADS * Math.max(2, concurrentTasksPerWorker),
    pool: new Piscina({ filename: fileURLToPath(new URL('./decode-worker.ts', import.meta.url)), minThreads: THREADS, maxThreads: THREADS, concurrentTasksPerWorker }),
  }));
  try {
    // Alternate, so page cache and CPU frequency treat both alike.
    let full = 0;
    let decode = 0;
    for (let round = 0; round < 2; round += 1) {
      for (const decoder of decoders) decode = Math.max(decode, await imagesPerSecond(files, decoder.inFlight, (path) => decoder.pool.run(path)));
      full = Math.max(
        full,
        await imagesPerSecond(files, pool.capacity, async (path) => {
          const r = await pool.run({ itemId: 0, locator: fileLocator(path), name: basename(path), limits: DEFAULT_ANALYSIS_LIMITS, thumbnails: true });
          if (!r.ok || r.image === null) throw new Error(`analysis failed for ${path}: ${r.ok ? r.error : r.error}`);
        }),
      );
    }
    return { full, decode };
  } finally {
    await Promise.all([pool.destroy(), ...decoders.map((d) => d.pool.destroy())]);
  }
}

function ingestRss(dir: string): { files: number; errors: number; seconds: number; maxRssMiB: number } {
  // A process of its own: peak RSS is per process, and this one has just decoded 12 MP images.
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./ingest-rss.ts', import.meta.url)), dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { files: number; errors: number; seconds: number; maxRssMiB: number };
}

const fmt = (n: number, d = 1) => n.toFixed(d);

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${cpu}, ${THREADS} cores, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, hashdeep ${execFileSync('hashdeep', ['-V'], { encoding: 'utf8' }).trim()}`);

  if (ONLY.has('a')) await exactHashPath();
  if (ONLY.has('b')) await imageAnalysis();
  if (ONLY.has('c')) memory();
}

async function exactHashPath(): Promise<void> {
  console.log(`\n(a) exact-hash path on ${TREE_MB} MB of mixed files`);
  const tree = mixedTree(TREE_MB * 2 ** 20);
  const files = listFiles(tree);
  const total = files.reduce((s, f) => s + f.size, 0);
  warmCache(tree);
  const perCore = hashLimitPerCore();
  const limit = perCore * THREADS;
  const ours = await custosDigests(files);
  const peer = hashdeep(tree, total);
  console.log(`  files ${files.length}, ${fmt(total / MB, 0)} MB (page cache warm for both)`);
  console.log(`  custos   ${fmt(ours / MB)} MB/s  (${THREADS} workers)`);
  console.log(`  hashdeep ${fmt(peer / MB)} MB/s  (-c md5,sha1,sha256 -r)  -> custos/hashdeep = ${fmt(ours / peer, 2)}x (target >= 3)`);
  console.log(`  limit    ${fmt(limit / MB)} MB/s  (${fmt(perCore / MB)} MB/s per core x ${THREADS}) -> custos/limit = ${fmt((100 * ours) / limit, 0)} % (target >= 85 %)`);

}

async function imageAnalysis(): Promise<void> {
  console.log(`\n(b) image analysis on ${JPEGS} camera-like 12 MP JPEGs, ${THREADS} workers`);
  const jpegs = await cameraJpegs(JPEGS);
  warmCache(jpegs);
  const img = await imageBench(jpegs);
  console.log(`  full analysis (digests + decode + PDQ + blockhash + EXIF + thumbnail) ${fmt(img.full, 2)} images/s`);
  console.log(`  bare decode at the same working size                                ${fmt(img.decode, 2)} images/s`);
  console.log(`  -> full/decode = ${fmt(img.full / img.decode, 2)} (target >= 0.8)`);

}

function memory(): void {
  console.log(`\n(c) peak RSS of an ingest of ${SMALL_FILES} small files`);
  const small = manySmallFiles(SMALL_FILES);
  const rss = ingestRss(small);
  console.log(`  ${rss.files} items (${rss.errors} errors) in ${fmt(rss.seconds)} s (${fmt(rss.files / rss.seconds, 0)} files/s), peak RSS ${fmt(rss.maxRssMiB, 0)} MiB (target < 1024)`);
}

await main();
