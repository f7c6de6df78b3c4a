// The worker pool for per-item analysis. It owns its threads: whoever creates a pool
// destroys it (lock, shutdown, end of an ingest).
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Piscina } from 'piscina';
import type { AnalysisResult, AnalysisTask } from './task.js';
import { nativeKernels } from './native-kernels.js';

/** The worker module: TypeScript when running from source (tsx), the bundled file when packaged. */
function workerFile(): string {
  const bundled = fileURLToPath(new URL('./analysis-worker.js', import.meta.url));
  if (existsSync(bundled)) return bundled;
  return fileURLToPath(new URL('./worker.ts', import.meta.url));
}

export type PoolOptions = { readonly threads?: number };

// Files each worker has in hand at once: their digests share MD5's SIMD lanes (digest-batch.ts),
// so a worker holds as many files as the CPU has lanes (16 with AVX-512: 2.9x hashdeep with 8,
// 3.3x with 16 on the 2 GB bench tree), and at least 4 so that images' hashing can wait for
// each other while decodes keep the cores busy. Memory stays bounded: files are read in 4 MiB
// chunks, and large images are held whole one at a time (read-bytes.ts).
const TASKS_PER_THREAD = Math.max(4, nativeKernels?.md5Lanes ?? 1);

// A worker's JS heap is a few MB, and V8 sizes the old generation's limit from it (about 26 MB);
// but that limit also counts the external memory allocated since the last full collection, and
// one 12 MP image brings 16 MB of it (the file and the decoded pixels, freed young by scavenges).
// So the workers ran a full collection every image or two, a sixth of the analysis time
// (tests/bench/RESULTS.md (b)). A floor under the limit leaves those to the scavenges; full
// collections still come at V8's own 64 MB of external growth. The flag is read when an isolate
// is created, so it reaches the workers started after it is set, and the isolate already
// running is untouched. Node and Electron both leave V8's flags unfrozen for this.
const WORKER_OLD_SPACE_FLOOR_MB = 128;
let workerHeapsConfigured = false;

function configureWorkerHeaps(): void {
  if (workerHeapsConfigured) return;
  setFlagsFromString(`--initial-old-space-size=${WORKER_OLD_SPACE_FLOOR_MB}`);
  workerHeapsConfigured = true;
}

export class AnalysisPool {
  readonly threads: number;
  /** Tasks to keep in flight for every worker to be busy with a full hand. */
  readonly capacity: number;
  readonly #pool: Piscina<AnalysisTask, AnalysisResult>;

  constructor(options: PoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.capacity = this.threads * TASKS_PER_THREAD;
    configureWorkerHeaps();
    this.#pool = new Piscina({
      filename: workerFile(),
      minThreads: this.threads,
      maxThreads: this.threads,
      concurrentTasksPerWorker: TASKS_PER_THREAD,
      // Workers are busy or waiting on the engine's queue; an idle worker is cheap to keep.
      idleTimeout: 60_000,
      // Backpressure lives in the engine (a bounded number of tasks in flight), so piscina's
      // own queue is left unbounded.
    });
  }

  run(task: AnalysisTask): Promise<AnalysisResult> {
    return this.#pool.run(task);
  }

  async destroy(): Promise<void> {
    await this.#pool.destroy();
  }
}
