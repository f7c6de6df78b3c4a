// bench:match (pdq): PDQ queries per second at distance <= 31, one orientation (V=1) and all 8
// (V=8), Custos' HammingIndex against FAISS IndexBinaryMultiHash(256, 16, 16) nflip=1 and
// IndexBinaryFlat on the same codes and queries with the same thread count; recall of the planted
// near-duplicates for every method; build time and memory.
import { availableParallelism } from 'node:os';
import { HammingIndex, scanHamming, type HammingMatch } from '../../electron/matching/hamming-index.js';
import { CODE_BYTES, MAX_DISTANCE, PLANTS, makeHaystack, makeQueries, originals, recallOf, type Found, type Haystack, type Recall } from './match-codes.js';
import { runFaiss, type PeerMethod, type PeerReport } from './match-peer.js';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const rss = () => process.memoryUsage.rss();
const MB = 1e6;
/** The issue's FAISS figures, measured by its author on this machine with one thread (q/s, V=1). */
const ISSUE_PEER: Readonly<Record<number, { readonly multihash: number; readonly flat: number }>> = {
  1_000_000: { multihash: 472, flat: 403 },
  10_000_000: { multihash: 20, flat: 33 },
};
/** Full image analysis on this machine, 2 workers (RESULTS.md, bench:ingest (b)): what matching must keep up with. */
const IMAGE_ANALYSIS_PER_SECOND = 15;

export type PdqOptions = {
  readonly sizes: readonly number[];
  readonly queries: number;
  /** Queries FAISS runs at a size (the first ones); null: 1000 at 1 M codes, 100 at 10 M (at least 100). */
  readonly peerQueries: number | null;
  /** Queries the script scan runs at a size; null: about 20 M code comparisons' worth. */
  readonly scanQueries: number | null;
  readonly python: string | null;
};

type Row = { readonly name: string; readonly v1: Measure | null; readonly v8: Measure | null };
type Measure = { readonly qps: number; readonly recall: Recall };

export type PdqSize = {
  readonly codes: number;
  readonly planted: number;
  readonly ours: { readonly buildSeconds: number; readonly memoryBytes: number; readonly rssDeltaBytes: number };
  readonly peer: PeerReport | null;
  readonly rows: readonly Row[];
};

function found(results: readonly (readonly HammingMatch[])[]): Found {
  return (q) => results[q] ?? [];
}

async function ours(index: HammingIndex, h: Haystack, queries8: Uint8Array, variants: 1 | 8, threads: number): Promise<Measure> {
  const queries = variants === 8 ? queries8 : originals(queries8);
  const count = queries.length / (variants * CODE_BYTES);
  const t0 = process.hrtime.bigint();
  const results = await index.search(queries, { variants, maxDistance: MAX_DISTANCE, threads });
  const s = seconds(t0);
  return { qps: count / s, recall: recallOf(h, queries8, variants, count, found(results)) };
}

async function nativeScan(index: HammingIndex, h: Haystack, queries8: Uint8Array, variants: 1 | 8, count: number): Promise<Measure> {
  const some = queries8.subarray(0, count * 8 * CODE_BYTES);
  const queries = variants === 8 ? some : originals(some);
  const t0 = process.hrtime.bigint();
  const results = (await index.search(queries, { variants, maxDistance: MAX_DISTANCE + 1, threads: 1 })).map((r) => r.filter((m) => m.distance <= MAX_DISTANCE));
  const s = seconds(t0);
  return { qps: count / s, recall: recallOf(h, queries8, variants, count, found(results)) };
}

/** The fallback without the addon: the script scan over every code (timed net of its one copy of the codes). */
function scan(h: Haystack, queries8: Uint8Array, variants: 1 | 8, count: number): Measure {
  const some = queries8.subarray(0, count * 8 * CODE_BYTES);
  const queries = variants === 8 ? some : originals(some);
  let t0 = process.hrtime.bigint();
  scanHamming(h.codes, new Uint8Array(0), variants, MAX_DISTANCE);
  const copy = seconds(t0);
  t0 = process.hrtime.bigint();
  const results = scanHamming(h.codes, queries, variants, MAX_DISTANCE);
  const s = seconds(t0) - copy;
  return { qps: count / s, recall: recallOf(h, queries8, variants, count, found(results)) };
}

function peerMeasure(peer: PeerReport, h: Haystack, queries8: Uint8Array, method: PeerMethod, variants: 1 | 8): Measure | null {
  const run = peer.runs.find((r) => r.method === method && r.variants === variants);
  return run ? { qps: run.queries / run.seconds, recall: recallOf(h, queries8, variants, run.queries, run.found) } : null;
}

export async function pdqBench(o: PdqOptions): Promise<PdqSize[]> {
  const queries8 = makeQueries(o.queries, 1);
  const out: PdqSize[] = [];
  for (const n of o.sizes) {
    const perQuery = 2 * (PLANTS.near + PLANTS.edge + PLANTS.outside);
    let t0 = process.hrtime.bigint();
    const h = makeHaystack(n, queries8, 1000 + n);
    console.log(
      `\n(pdq) ${n} random 256-bit codes, ${h.planted} of them planted (${perQuery} per query: ${PLANTS.near} at 0-20 bits, ${PLANTS.edge} at 31, ${PLANTS.outside} at 32, near its original and near variant q mod 8), ${o.queries} queries, distance <= ${MAX_DISTANCE} (generated in ${seconds(t0).toFixed(1)} s)`,
    );

    const rss0 = rss();
    t0 = process.hrtime.bigint();
    let index: HammingIndex | null = HammingIndex.build(h.codes);
    const buildSeconds = seconds(t0);
    const built = { buildSeconds, memoryBytes: index.memoryBytes(), rssDeltaBytes: rss() - rss0 };
    // Warm-up, so that neither side's first timed search pays for page faults.
    await index.search(originals(queries8.subarray(0, 16 * 8 * CODE_BYTES)), { variants: 1, maxDistance: MAX_DISTANCE });
    await index.search(queries8.subarray(0, 16 * 8 * CODE_BYTES), { variants: 8, maxDistance: MAX_DISTANCE });
    const threads = availableParallelism();
    const rows: Row[] = [
      { name: 'Custos HammingIndex (MIH), 1 thread', v1: await ours(index, h, queries8, 1, 1), v8: await ours(index, h, queries8, 8, 1) },
    ];
    if (threads > 1) {
      rows.push({
        name: `Custos HammingIndex (MIH), ${threads} threads`,
        v1: await ours(index, h, queries8, 1, threads),
        v8: await ours(index, h, queries8, 8, threads),
      });
    }
    // The index's own full-scan route (taken from 32 bits up): a flat scan with POPCNT, the
    // ceiling any IndexBinaryFlat build could reach here; its matches at 32 are dropped.
    const nativeScanCount = Math.min(o.queries, Math.max(20, Math.round(2e8 / n)));
    rows.push({
      name: `Custos native full scan (maxDistance 32, kept <= 31), 1 thread, first ${nativeScanCount}`,
      v1: await nativeScan(index, h, queries8, 1, nativeScanCount),
      v8: await nativeScan(index, h, queries8, 8, nativeScanCount),
    });
    index = null;
    const scanCount = Math.min(o.queries, o.scanQueries ?? Math.max(2, Math.round(2e7 / n)));
    rows.push({ name: `Custos script scan (no addon), first ${scanCount}`, v1: scan(h, queries8, 1, scanCount), v8: scan(h, queries8, 8, scanCount) });

    let peer: PeerReport | null = null;
    if (o.python !== null) {
      const count = Math.min(o.queries, o.peerQueries ?? Math.max(100, Math.round(1e9 / n)));
      process.stderr.write(`  FAISS on the first ${count} queries...\n`);
      peer = runFaiss(o.python, h.codes, queries8, count, 1);
      rows.push({ name: `FAISS IndexBinaryMultiHash(256,16,16) nflip=1, 1 thread, first ${count}`, v1: peerMeasure(peer, h, queries8, 'multihash', 1), v8: peerMeasure(peer, h, queries8, 'multihash', 8) });
      rows.push({ name: `FAISS IndexBinaryFlat, 1 thread, first ${count}`, v1: peerMeasure(peer, h, queries8, 'flat', 1), v8: peerMeasure(peer, h, queries8, 'flat', 8) });
    }
    printSize(n, built, peer, rows);
    out.push({ codes: n, planted: h.planted, ours: built, peer, rows });
  }
  return out;
}

export function recallText(r: Recall): string {
  const pct = r.expected === 0 ? 100 : (100 * r.found) / r.expected;
  const extra = [r.wrong > 0 ? `${r.wrong} WRONG` : '', r.unplanted > 0 ? `${r.unplanted} unplanted` : ''].filter((s) => s !== '').join(', ');
  return `${pct.toFixed(2)} % (${r.found}/${r.expected}; at 31: ${r.edgeFound}/${r.edgeExpected}${extra ? `; ${extra}` : ''})`;
}

function printSize(n: number, built: PdqSize['ours'], peer: PeerReport | null, rows: readonly Row[]): void {
  const raw = n * CODE_BYTES;
  console.log(
    `  build: Custos ${built.buildSeconds.toFixed(2)} s, memoryBytes ${(built.memoryBytes / MB).toFixed(1)} MB = ${(built.memoryBytes / n).toFixed(1)} B/code = ${(built.memoryBytes / raw).toFixed(2)}x the raw 32 B/code (target <= 4x; RSS +${(built.rssDeltaBytes / MB).toFixed(0)} MB)`,
  );
  if (peer) {
    for (const m of ['multihash', 'flat'] as const) {
      const b = peer.build[m];
      console.log(
        `         FAISS ${m === 'multihash' ? 'MultiHash' : 'Flat'} ${b.buildSeconds.toFixed(2)} s, RSS +${(b.rssDeltaBytes / MB).toFixed(0)} MB = ${(b.rssDeltaBytes / n).toFixed(1)} B/code`,
      );
    }
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  const cell = (m: Measure | null) => (m === null ? 'n/a'.padStart(10) : `${m.qps.toFixed(1).padStart(10)} q/s  ${recallText(m.recall)}`);
  for (const r of rows) console.log(`  ${r.name.padEnd(width)}  V=1 ${cell(r.v1)}\n  ${''.padEnd(width)}  V=8 ${cell(r.v8)}`);
  const ours1 = rows[0];
  const mh = rows.find((r) => r.name.startsWith('FAISS IndexBinaryMultiHash'));
  const fl = rows.find((r) => r.name.startsWith('FAISS IndexBinaryFlat'));
  const ratio = (a: Measure | null | undefined, b: Measure | null | undefined) => (a && b ? `${(a.qps / b.qps).toFixed(1)}x` : 'n/a');
  if (ours1 && mh && fl) {
    console.log(
      `  -> Custos/MultiHash V=1 ${ratio(ours1.v1, mh.v1)}, V=8 ${ratio(ours1.v8, mh.v8)} (target >= 10x at 10 M); Custos/Flat V=1 ${ratio(ours1.v1, fl.v1)}, V=8 ${ratio(ours1.v8, fl.v8)}`,
    );
  }
  const issue = ISSUE_PEER[n];
  if (ours1?.v1 && issue) {
    console.log(
      `  -> against the issue's FAISS figures at this size (V=1, 1 thread: MultiHash ${issue.multihash} q/s, Flat ${issue.flat} q/s): Custos/MultiHash ${(ours1.v1.qps / issue.multihash).toFixed(1)}x, Custos/Flat ${(ours1.v1.qps / issue.flat).toFixed(1)}x`,
    );
  }
  if (ours1?.v8) {
    console.log(
      `  -> all 8 orientations, 1 thread: ${ours1.v8.qps.toFixed(1)} images/s matched vs about ${IMAGE_ANALYSIS_PER_SECOND} images/s analysed (2 workers) = ${(ours1.v8.qps / IMAGE_ANALYSIS_PER_SECOND).toFixed(1)}x (target >= 1x)`,
    );
  }
}
