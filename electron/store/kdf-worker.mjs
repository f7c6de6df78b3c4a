// Argon2id on a thread of its own. hash-wasm keeps the WebAssembly memory an Argon2id run grows
// (64 MiB and more) for the life of the thread that ran it, and with it blocks derived from the
// passphrase: run here, it is all released when the thread exits. Plain JavaScript, so sources
// and bundles start it the same way. Input: workerData (see kdf.ts); output: the 32-byte key.
import { parentPort, workerData } from 'node:worker_threads';
import { argon2id } from 'hash-wasm';

const key = await argon2id({ ...workerData, hashLength: 32, outputType: 'binary' });
parentPort.postMessage(key, [key.buffer]);
