// The PDQ entries of every active hash set (and, for cases that match on it, their blockhash
// entries: a second index), in a Hamming index held in memory only (never written to disk: it is
// a hash list). Built on first use after unlock and rebuilt when the active sets change; the
// store stays the only copy at rest. The entries are read a page at a time with the event loop
// let through between pages, and the index is built on a thread of the addon, so a large set
// never holds the engine for the seconds that takes.
import type { Db } from '../store/database.js';
import { activeSetsGeneration, listActiveSets, perceptualEntries, type PerceptualMethod } from '../store/repositories/hashsets.js';
import { HammingIndex } from './hamming-index.js';

const PAGE = 50_000;

export type PerceptualHit = { readonly entryId: number; readonly distance: number; readonly variant: number };

export class PerceptualIndex {
  private constructor(
    readonly generation: string,
    private readonly index: HammingIndex,
    private readonly entryIds: Float64Array,
    private readonly qualities: Int16Array,
  ) {}

  get size(): number {
    return this.entryIds.length;
  }

  static async build(db: Db, method: PerceptualMethod): Promise<PerceptualIndex> {
    const generation = activeSetsGeneration(db);
    let codes = new Uint8Array(32 * 1024);
    let ids = new Float64Array(1024);
    let qualities = new Int16Array(1024);
    let n = 0;
    for (const set of listActiveSets(db)) {
      for (let after = 0; ; ) {
        const page = perceptualEntries(db, method, set.id, after, PAGE);
        if (page.length === 0) break;
        if (n + page.length > ids.length) {
          const capacity = Math.max(ids.length * 2, n + page.length);
          codes = grow(codes, capacity * 32);
          ids = grow(ids, capacity);
          qualities = grow(qualities, capacity);
        }
        for (const e of page) {
          codes.set(e.code.subarray(0, 32), n * 32);
          ids[n] = e.id;
          // -1: the set gave no quality, so it cannot rule the entry out.
          qualities[n] = e.quality ?? -1;
          n++;
        }
        after = page.at(-1)?.id ?? after;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    const index = await HammingIndex.buildAsync(codes.subarray(0, n * 32));
    return new PerceptualIndex(generation, index, ids.slice(0, n), qualities.slice(0, n));
  }

  /**
   * For each query (`variants` codes of one image, 32 bytes each: PDQ's 8 dihedral variants, or
   * a blockhash alone), the entries within `maxDistance` of any of them whose quality, where the
   * set gave one, is at least `minQuality`. The search runs on a thread of the addon, off the
   * engine's thread.
   */
  async search(queries: readonly Uint8Array[], o: { readonly variants: 1 | 8; readonly maxDistance: number; readonly minQuality: number }): Promise<PerceptualHit[][]> {
    if (queries.length === 0 || this.size === 0) return queries.map(() => []);
    const width = o.variants * 32;
    const packed = new Uint8Array(queries.length * width);
    queries.forEach((q, i) => packed.set(q.subarray(0, width), i * width));
    const found = await this.index.search(packed, { variants: o.variants, maxDistance: o.maxDistance });
    const minQuality = o.minQuality;
    return found.map((hits) =>
      hits
        .filter((h) => {
          const q = this.qualities[h.id] ?? -1;
          return q < 0 || q >= minQuality;
        })
        .map((h) => ({ entryId: this.entryIds[h.id] ?? 0, distance: h.distance, variant: h.variant })),
    );
  }
}

function grow<T extends Uint8Array | Float64Array | Int16Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}

// One index per open store connection and method, rebuilt when the active sets change; callers
// during a build share it.
type Cached = { readonly generation: string; readonly index: Promise<PerceptualIndex> };
const caches: Record<PerceptualMethod, WeakMap<Db, Cached>> = { pdq: new WeakMap(), blockhash: new WeakMap() };

export function perceptualIndexOf(db: Db, method: PerceptualMethod): Promise<PerceptualIndex> {
  const cache = caches[method];
  const generation = activeSetsGeneration(db);
  const current = cache.get(db);
  if (current && current.generation === generation) return current.index;
  const index = PerceptualIndex.build(db, method);
  cache.set(db, { generation, index });
  // A failed build is not kept: the next search tries again.
  index.catch(() => {
    if (cache.get(db)?.index === index) cache.delete(db);
  });
  return index;
}
