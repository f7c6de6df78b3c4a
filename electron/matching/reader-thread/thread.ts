// The import's side of the reader thread: starts it, hands its chunks over one at a time, and
// acknowledges each once the import has written it (the thread's backpressure).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HashSetFormatError, type MalformedReport } from '../importers/index.js';
import type { PreparedRun } from '../key-runs.js';
import { buffersOf, type EntriesChunk, type FileDigest, type RdsChunk, type ReaderThreadControl, type ReaderThreadInput, type ReaderThreadMessage } from './protocol.js';

/** Bundled builds carry the worker next to the bundle; from the sources a bootstrap loads it through tsx. */
function workerFile(): string {
  const bundled = fileURLToPath(new URL('./hashset-reader-worker.js', import.meta.url));
  if (existsSync(bundled)) return bundled;
  return fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));
}

// The reader's garbage (parsed records) is collected sooner with a small young generation: the
// import's memory stays flat (tests/integration/hashset-import-streaming.test.ts). The readers bound
// what one record may take (4 MiB of JSON, 1 MiB lines, 4096-character NSRL names), far inside the
// old generation's cap, which only stops a runaway: reaching it can take the whole process down.
const READER_HEAP_MB = 128;

const outOfMemory = (error: unknown) => (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';

export class ReaderThread {
  readonly #worker: Worker;
  readonly #queue: ReaderThreadMessage[] = [];
  #wake: (() => void) | null = null;
  #failure: Error | null = null;
  #ended = false;
  #malformed: MalformedReport = { count: 0, first: [] };
  #source: FileDigest | null = null;
  #runs: readonly PreparedRun[] = [];

  constructor(input: ReaderThreadInput) {
    this.#worker = new Worker(workerFile(), { workerData: input, resourceLimits: { maxOldGenerationSizeMb: READER_HEAP_MB, maxYoungGenerationSizeMb: 8 } });
    this.#worker.on('message', (m: ReaderThreadMessage) => {
      this.#queue.push(m);
      this.#signal();
    });
    this.#worker.on('error', (error) => {
      this.#failure ??= outOfMemory(error)
        ? new HashSetFormatError(`the file holds a record too large to read (the reader thread has ${READER_HEAP_MB} MB): not a hash set this import can take`, 'corrupt')
        : error instanceof Error
          ? error
          : new Error(String(error));
      this.#signal();
    });
    this.#worker.on('exit', (code) => {
      if (!this.#ended) this.#failure ??= new Error(`the hash-set reader stopped (exit code ${code})`);
      this.#signal();
    });
  }

  /** The file's SHA-256 where the thread hashed it (see protocol.ts); final once chunks() has ended. */
  get source(): FileDigest | null {
    return this.#source;
  }

  /** Key runs the reader made and sent with no chunk (the RDSv3 path's last); final once chunks() has ended. */
  get runs(): readonly PreparedRun[] {
    return this.#runs;
  }

  /** What the reader could not read; final once chunks() has ended. */
  get malformed(): MalformedReport {
    return this.#malformed;
  }

  /** The chunks in order. A chunk's buffers are given back to the reader when the next is asked for: keep no view of them. */
  async *chunks(): AsyncGenerator<EntriesChunk | RdsChunk> {
    for (;;) {
      const m = await this.#next();
      if (m.type === 'end') {
        this.#ended = true;
        this.#malformed = m.malformed;
        this.#source = m.source;
        this.#runs = m.runs;
        return;
      }
      if (m.type === 'error') {
        this.#ended = true;
        throw m.formatError ? new HashSetFormatError(m.message) : new Error(m.message);
      }
      yield m;
      // Written: an entries chunk's buffers go back to be filled again.
      const buffers = m.type === 'entries' ? buffersOf(m.rows, m.digests, m.identities) : [];
      this.#worker.postMessage({ type: 'ack', buffers } satisfies ReaderThreadControl, buffers);
    }
  }

  async close(): Promise<void> {
    this.#ended = true;
    await this.#worker.terminate();
  }

  #signal(): void {
    this.#wake?.();
    this.#wake = null;
  }

  async #next(): Promise<ReaderThreadMessage> {
    for (;;) {
      const m = this.#queue.shift();
      if (m !== undefined) return m;
      if (this.#failure !== null) throw this.#failure;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
