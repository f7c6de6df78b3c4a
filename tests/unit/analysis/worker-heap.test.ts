// The analysis pool gives its workers an old-generation floor (pool.ts): without it, the few MB
// of a worker's heap set a limit so low that the external memory of each image started a full
// collection. Observed in a child process (V8's flags are process-wide): a worker started before
// the pool and one started after it each keep about 80 MB of JS objects, after a full collection
// has sized their limit from a near-empty heap, and count their full collections.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const poolModule = new URL('../../../electron/analysis/pool.ts', import.meta.url).href;

const script = `
import { Worker } from 'node:worker_threads';
import { AnalysisPool } from ${JSON.stringify(poolModule)};
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
const fullCollections = () => new Promise((resolve, reject) => {
  const worker = new Worker(grow, { eval: true });
  worker.once('message', (m) => { resolve(m.full); void worker.terminate(); });
  worker.once('error', reject);
});
const before = await fullCollections();
const pool = new AnalysisPool({ threads: 1 });
const after = await fullCollections();
await pool.destroy();
process.stdout.write(JSON.stringify({ before, after }));
`;

describe('analysis workers heap', () => {
  it('lets a worker started after the pool grow its heap to 80 MB without a full collection', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-worker-heap-'));
    let out: string;
    try {
      const file = join(dir, 'probe.mjs');
      writeFileSync(file, script);
      out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { before, after } = JSON.parse(out) as { before: number; after: number };
    // Before the pool, V8's limit for a near-empty heap is reached on the way (twice here).
    expect(before).toBeGreaterThan(0);
    expect(after).toBe(0);
  }, 60_000);
});
