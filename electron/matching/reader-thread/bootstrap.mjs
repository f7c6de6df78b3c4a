// Running from the TypeScript sources (tests, development), a worker thread gets no loader from
// its parent: register tsx here, then load the worker. Bundled builds start reader-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
