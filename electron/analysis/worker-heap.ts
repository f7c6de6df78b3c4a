// The analysis workers' heap floor. A worker's JS heap is a few MB, and V8 sizes the old
// generation's limit from it (about 26 MB); but that limit also counts the external memory
// allocated since the last full collection, and one 12 MP image brings 16 MB of it (the file and
// the decoded pixels, freed young by scavenges). So the workers ran a full collection every image
// or two: 128 for 200 images, against 38 with the floor, which gave 8 % more images/s
// (tests/bench/RESULTS.md (b)). With the floor, young buffers are left to the scavenges; full
// collections still come at V8's own 64 MB of external growth. V8 reads the flag when an isolate
// is created and it is process-wide (Node and Electron leave V8's flags unfrozen), so it is set
// only while a pool's workers start: threads started later (a hash-set import's reader, which
// keeps a small heap on purpose) keep V8's own sizing. A worker piscina starts later to replace
// one that died goes without the floor: slower, not wrong.
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';

export const WORKER_OLD_SPACE_FLOOR_MB = 128;

let starting = 0;

function release(): void {
  if (--starting === 0) setFlagsFromString('--initial-old-space-size=0');
}

/**
 * Calls `start`, which creates worker threads, with the floor in force; `running` resolves once
 * every worker it returned is running (or has failed to start), and the floor is lifted then.
 */
export function startWithHeapFloor<T>(start: () => T, workersOf: (started: T) => readonly Worker[]): { readonly started: T; readonly running: Promise<void> } {
  if (starting++ === 0) setFlagsFromString(`--initial-old-space-size=${WORKER_OLD_SPACE_FLOOR_MB}`);
  let started: T;
  try {
    started = start();
  } catch (err) {
    release();
    throw err;
  }
  const running = Promise.all(
    workersOf(started).map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.once('online', resolve);
          worker.once('error', () => resolve());
          worker.once('exit', () => resolve());
        }),
    ),
  ).then(release);
  return { started, running };
}
