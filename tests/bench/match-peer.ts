// Runs tests/bench/faiss_peer.py on the codes bench:match generated: they go to Python as raw
// .u8 files in a temp dir, the answers come back the same way, and the dir is deleted after.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Found } from './match-codes.js';

const SCRIPT = fileURLToPath(new URL('./faiss_peer.py', import.meta.url));

export type PeerMethod = 'multihash' | 'flat';

export type PeerRun = { readonly method: PeerMethod; readonly variants: 1 | 8; readonly queries: number; readonly seconds: number; readonly found: Found };

export type PeerReport = {
  readonly faiss: string;
  readonly threads: number;
  readonly build: Record<PeerMethod, { readonly buildSeconds: number; readonly rssDeltaBytes: number }>;
  readonly runs: readonly PeerRun[];
};

/** The first Python that imports faiss: BENCH_PYTHON, else python3 on the PATH, else Debian's (python3-faiss). */
export function findPython(): { readonly python: string; readonly version: string; readonly faiss: string } | null {
  const candidates = process.env.BENCH_PYTHON ? [process.env.BENCH_PYTHON] : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    try {
      const out = execFileSync(python, ['-c', 'import faiss, platform; print(platform.python_version(), faiss.__version__)'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const [version = '?', faiss = '?'] = out.trim().split(' ');
      return { python, version, faiss };
    } catch {
      // not this one
    }
  }
  return null;
}

function flat(lims: Uint32Array, ids: Uint32Array, dist: Int32Array): Found {
  return function* (q: number) {
    for (let i = lims[q] ?? 0, end = lims[q + 1] ?? 0; i < end; i++) yield { id: ids[i] ?? 0, distance: dist[i] ?? 0 };
  };
}

function typed<T>(path: string, make: (buffer: ArrayBuffer, offset: number, length: number) => T, bytes: number): T {
  const raw = readFileSync(path);
  // readFileSync may hand back a view into a shared pool: copy to an aligned buffer of its own.
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  return make(copy.buffer, 0, raw.length / bytes);
}

/** Both FAISS indexes on `codes`, the first `count` of `queries8` searched, with `threads` OpenMP threads. */
export function runFaiss(python: string, codes: Uint8Array, queries8: Uint8Array, count: number, threads: number): PeerReport {
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-match-'));
  try {
    writeFileSync(join(dir, 'codes.u8'), codes);
    writeFileSync(join(dir, 'queries.u8'), queries8);
    const out = execFileSync(
      python,
      [SCRIPT, '--codes', join(dir, 'codes.u8'), '--queries', join(dir, 'queries.u8'), '--count', String(count), '--threads', String(threads), '--out', dir],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: String(threads) }, maxBuffer: 1 << 24 },
    );
    type Raw = {
      faiss: string;
      threads: number;
      runs: { method: PeerMethod; variants: 1 | 8; queries: number; seconds: number }[];
    } & Record<PeerMethod, { buildSeconds: number; rssDeltaBytes: number }>;
    const raw = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Raw;
    const runs = raw.runs.map((r): PeerRun => {
      const stem = join(dir, `${r.method}-v${r.variants}`);
      const found = flat(
        typed(`${stem}.lims`, (b, o, n) => new Uint32Array(b, o, n), 4),
        typed(`${stem}.ids`, (b, o, n) => new Uint32Array(b, o, n), 4),
        typed(`${stem}.dist`, (b, o, n) => new Int32Array(b, o, n), 4),
      );
      return { ...r, found };
    });
    return { faiss: raw.faiss, threads: raw.threads, build: { multihash: raw.multihash, flat: raw.flat }, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
