// Imports a hash set into a new store in a process of its own and prints what it cost as one
// JSON line, so the peak RSS measured is the import's (reader, store, custody), not the test
// runner's. Usage: node --import tsx import-in-child.ts STORE-DIR FILE
import { HashSetImportRun } from '../../electron/matching/hashset-import.js';
import { closeStore, createStore } from '../../electron/store/store.js';

const [storeDir, file] = process.argv.slice(2);
if (storeDir === undefined || file === undefined) throw new Error('usage: import-in-child.ts STORE-DIR FILE');
const store = await createStore(storeDir, 'alice', 'correct horse battery staple', () => undefined);
const started = performance.now();
const run = await HashSetImportRun.start(store.db, 1, { path: file, name: 'million', format: 'auto', actor: 'alice' }, () => undefined);
const view = await run.finished;
const ms = performance.now() - started;
closeStore(store);
console.log(
  JSON.stringify({
    state: view.state,
    error: view.error,
    entries: view.hashset?.entries ?? 0,
    ms: Math.round(ms),
    perSecond: Math.round((view.hashset?.entries ?? 0) / (ms / 1000)),
    // The kernel's peak for the whole process, in KiB.
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
