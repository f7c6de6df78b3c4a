// The worker pool for per-item analysis. It owns its threads: whoever creates a pool
// destroys it (lock, shutdown, end of an ingest).
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { AnalysisResult, AnalysisTask } from './task.js';

/** The worker module: TypeScript when running from source (tsx), the bundled file when packaged. */
function workerFile(): string {
  const bundled = fileURLToPath(new URL('./analysis-worker.js', import.meta.url));
  if (existsSync(bundled)) return bundled;
  return fileURLToPath(new URL('./worker.ts', import.meta.url));
}

export type PoolOptions = { readonly threads?: number };

export class AnalysisPool {
  readonly threads: number;
  readonly #pool: Piscina<AnalysisTask, AnalysisResult>;

  constructor(options: PoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.#pool = new Piscina({
      filename: workerFile(),
      minThreads: this.threads,
      maxThreads: this.threads,
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
