// The worker pool for per-item analysis. It owns its threads: whoever creates a pool
// destroys it (lock, shutdown, end of an ingest).
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { AnalysisResult, AnalysisTask } from './task.js';
import { nativeKernels } from './native-kernels.js';
import { startWithHeapFloor } from './worker-heap.js';

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

export class AnalysisPool {
  readonly threads: number;
  /** Tasks to keep in flight for every worker to be busy with a full hand. */
  readonly capacity: number;
  /** Resolves once the workers are running. */
  readonly ready: Promise<void>;
  readonly #pool: Piscina<AnalysisTask, AnalysisResult>;

  constructor(options: PoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.capacity = this.threads * TASKS_PER_THREAD;
    // The workers start with the heap floor (worker-heap.ts).
    const { started, running } = startWithHeapFloor(
      () =>
        new Piscina<AnalysisTask, AnalysisResult>({
          filename: workerFile(),
          minThreads: this.threads,
          maxThreads: this.threads,
          concurrentTasksPerWorker: TASKS_PER_THREAD,
          // Workers are busy or waiting on the engine's queue; an idle worker is cheap to keep.
          idleTimeout: 60_000,
          // Backpressure lives in the engine (a bounded number of tasks in flight), so piscina's
          // own queue is left unbounded.
        }),
      (pool) => pool.threads,
    );
    this.#pool = started;
    this.ready = running;
  }

  run(task: AnalysisTask): Promise<AnalysisResult> {
    return this.#pool.run(task);
  }

  async destroy(): Promise<void> {
    await this.#pool.destroy();
  }
}
