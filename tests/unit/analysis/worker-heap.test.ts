// The analysis pool's workers start with an old-generation floor (worker-heap.ts): without it,
// the few MB of a worker's heap set a limit so low that the external memory of each image started
// a full collection. Threads started outside that window keep V8's own sizing. Observed in a
// child process (V8's flags are process-wide): probe workers keep about 80 MB of JS objects,
// after a full collection has sized their limit from a near-empty heap, and count their full
// collections.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const poolModule = new URL('../../../electron/analysis/pool.ts', import.meta.url).href;
const heapModule = new URL('../../../electron/analysis/worker-heap.ts', import.meta.url).href;

const script = `
import { Worker } from 'node:worker_threads';
import { AnalysisPool } from ${JSON.stringify(poolModule)};
import { startWithHeapFloor } from ${JSON.stringify(heapModule)};
const grow = \`
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { parentPort } = require('node:worker_threads');
let full = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full += 1;
}).observe({ entryTypes: ['gc'] });
const turn = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  globalThis.gc();
  await turn(20);
  full = 0;
  const kept = [];
  for (let i = 0; i < 25; i += 1) {
    kept.push(Array.from({ length: 100000 }, (_, j) => ({ j })));
    await turn(0);
  }
  await turn(50);
  parentPort.postMessage({ full, kept: kept.length });
})();\`;
const probe = () => new Worker(grow, { eval: true });
const fullCollections = (worker) => new Promise((resolve, reject) => {
  worker.once('message', (m) => { resolve(m.full); void worker.terminate(); });
  worker.once('error', reject);
});
const before = await fullCollections(probe());
const { started, running } = startWithHeapFloor(() => [probe()], (workers) => workers);
await running;
const floored = await fullCollections(started[0]);
const afterwards = await fullCollections(probe());
const pool = new AnalysisPool({ threads: 1 });
await pool.ready;
const afterPool = await fullCollections(probe());
await pool.destroy();
process.stdout.write(JSON.stringify({ before, floored, afterwards, afterPool }));
`;

describe('analysis workers heap', () => {
  it('gives the workers started with it a floor, and lifts it once they run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-worker-heap-'));
    let out: string;
    try {
      const file = join(dir, 'probe.mjs');
      writeFileSync(file, script);
      out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const counts = JSON.parse(out) as { before: number; floored: number; afterwards: number; afterPool: number };
    // V8's own limit for a near-empty heap is reached on the way (twice here)...
    expect(counts.before).toBeGreaterThan(0);
    // ...not with the floor...
    expect(counts.floored).toBe(0);
    // ...which threads started later, after a pool's workers too, do not get.
    expect(counts.afterwards).toBe(counts.before);
    expect(counts.afterPool).toBe(counts.before);
  }, 60_000);
});
