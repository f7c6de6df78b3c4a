// npm run bench:match — hash matching against its peers, measured in one run on the same
// generated data:
//  (pdq)    PDQ queries/s at distance <= 31, one orientation and all 8, Custos' HammingIndex vs
//           FAISS IndexBinaryMultiHash(256, 16, 16) nflip=1 and IndexBinaryFlat (Debian
//           python3-faiss, run through tests/bench/faiss_peer.py), one thread each; recall of
//           the planted near-duplicates; index build time and memory;
//  (exact)  MD5 lookups/s through the store (exactHits) against a set of BENCH_MD5_ENTRIES
//           entries, and insert rates in key order and in random order;
//  (import) VICS 2.0 entries/s and NSRL RDSv3 rows/s through HashSetImportRun, with the
//           reader's share of the time.
// Sizes: BENCH_CODES (default 1000000,10000000), BENCH_QUERIES (2000), BENCH_PEER_QUERIES (how
// many of them FAISS runs; default 1000 at 1 M codes, 100 at 10 M), BENCH_SCAN_QUERIES (the script
// scan's), BENCH_MD5_ENTRIES (10000000), BENCH_MD5_LOOKUPS (200000), BENCH_MD5_RANDOM_INSERTS
// (200000), BENCH_IMPORT_ENTRIES (1000000); BENCH_ONLY=pdq,exact,import picks parts;
// BENCH_PYTHON names a Python with faiss.
import { cpus, loadavg, totalmem } from 'node:os';
import { hammingBackend } from '../../electron/matching/hamming-index.js';
import { exactBench } from './match-exact.js';
import { importBench } from './match-import.js';
import { findPython } from './match-peer.js';
import { pdqBench } from './match-pdq.js';

const list = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const optionalNum = (name: string) => (process.env[name] === undefined ? null : Number(process.env[name]));

const ONLY = new Set(list('BENCH_ONLY', 'pdq,exact,import'));

/** The box's load around a part: other work on a 2-core machine moves every figure. */
async function part(name: string, run: () => Promise<unknown>): Promise<void> {
  const before = loadavg()[0] ?? 0;
  await run();
  console.log(`  [${name}: load average (1 min) ${before.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after]`);
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const python = ONLY.has('pdq') ? findPython() : null;
  const peer = python ? `FAISS ${python.faiss} (${python.python}, Python ${python.version})` : 'FAISS not found (no peer)';
  console.log(`machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Hamming backend ${hammingBackend}, ${peer}`);

  if (ONLY.has('pdq')) {
    await part('pdq', () =>
      pdqBench({
        sizes: list('BENCH_CODES', '1000000,10000000').map(Number),
        queries: num('BENCH_QUERIES', 2000),
        peerQueries: optionalNum('BENCH_PEER_QUERIES'),
        scanQueries: optionalNum('BENCH_SCAN_QUERIES'),
        python: python?.python ?? null,
      }),
    );
  }
  if (ONLY.has('exact')) {
    await part('exact', () =>
      exactBench({ entries: num('BENCH_MD5_ENTRIES', 10_000_000), lookups: num('BENCH_MD5_LOOKUPS', 200_000) }),
    );
  }
  if (ONLY.has('import')) await part('import', () => importBench({ entries: num('BENCH_IMPORT_ENTRIES', 1_000_000) }));
}

await main();
