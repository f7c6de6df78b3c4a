// Running counters of one ingest run and the rates derived from them. Counters start from
// what the store already holds (a resumed job), rates from what this run did.
import type { IngestPhase, IngestProgress } from '../api/contract.js';
import type { ProgressCounts } from '../store/repositories/items.js';

export class IngestProgressCounter {
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  errors: number;
  #runFiles = 0;
  #runBytes = 0;
  readonly #startedAt: number;

  constructor(
    readonly jobId: number,
    initial: ProgressCounts,
    /** Time this job already worked in earlier runs (a resumed job). */
    private readonly priorMs: number = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.filesTotal = initial.files;
    this.filesDone = initial.done;
    this.bytesTotal = initial.bytesTotal;
    this.bytesDone = initial.bytesDone;
    this.errors = initial.errors;
    this.#startedAt = now();
  }

  discovered(files: number, bytes: number): void {
    this.filesTotal += files;
    this.bytesTotal += bytes;
  }

  analysed(bytes: number, failed: boolean): void {
    this.filesDone += 1;
    this.bytesDone += bytes;
    this.#runFiles += 1;
    this.#runBytes += bytes;
    if (failed) this.errors += 1;
  }

  /** Time spent by this run. */
  runMs(): number {
    return this.now() - this.#startedAt;
  }

  snapshot(phase: IngestPhase): IngestProgress {
    const seconds = this.runMs() / 1000;
    const filesPerSecond = seconds > 0 ? this.#runFiles / seconds : 0;
    const bytesPerSecond = seconds > 0 ? this.#runBytes / seconds : 0;
    // Many small files are bound by files/s, a few large ones by MB/s: the slower estimate wins.
    const byBytes = bytesPerSecond > 0 ? Math.max(0, this.bytesTotal - this.bytesDone) / bytesPerSecond : null;
    const byFiles = filesPerSecond > 0 ? Math.max(0, this.filesTotal - this.filesDone) / filesPerSecond : null;
    const eta = byBytes === null || byFiles === null ? null : Math.max(byBytes, byFiles);
    return {
      jobId: this.jobId,
      phase,
      filesTotal: this.filesTotal,
      filesDone: this.filesDone,
      bytesTotal: this.bytesTotal,
      bytesDone: this.bytesDone,
      errors: this.errors,
      filesPerSecond,
      bytesPerSecond,
      etaSeconds: phase === 'analysing' ? eta : null,
      elapsedMs: Math.round(this.priorMs + this.runMs()),
    };
  }
}
