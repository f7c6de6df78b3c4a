// Generated PDQ-like codes for bench:match: a random haystack of 256-bit codes with near-duplicates
// of each query planted at random positions, so recall can be counted exactly. Random bytes
// from a seeded generator, never hashes of real material.

export const CODE_BYTES = 32;
/** The PDQ match threshold the benchmark searches at (inclusive). */
export const MAX_DISTANCE = 31;

/** xoshiro128** seeded by splitmix32: fast enough to fill hundreds of MB, and repeatable. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** An integer in [0, n), n <= 2^32. */
  below(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }

  /** `bytes` random bytes (a fresh, 4-byte aligned buffer). */
  bytes(length: number): Uint8Array {
    const words = new Uint32Array(Math.ceil(length / 4));
    for (let i = 0; i < words.length; i++) words[i] = this.u32();
    return new Uint8Array(words.buffer, 0, length);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, i) => {
  let n = 0;
  for (let x = i; x > 0; x >>= 1) n += x & 1;
  return n;
});

/** Hamming distance between the code at a[ai] and the one at b[bi] (indices in codes). */
export function distanceAt(a: Uint8Array, ai: number, b: Uint8Array, bi: number): number {
  let d = 0;
  const ao = ai * CODE_BYTES;
  const bo = bi * CODE_BYTES;
  for (let k = 0; k < CODE_BYTES; k++) d += POPCOUNT[(a[ao + k] ?? 0) ^ (b[bo + k] ?? 0)] ?? 0;
  return d;
}

const bitOrder = new Uint16Array(256).map((_, i) => i);

/** Writes into codes[at] a copy of source[from] with exactly `bits` distinct bits flipped. */
function plantNear(codes: Uint8Array, at: number, source: Uint8Array, from: number, bits: number, rng: Rng): void {
  codes.set(source.subarray(from * CODE_BYTES, (from + 1) * CODE_BYTES), at * CODE_BYTES);
  // Partial Fisher-Yates over the 256 bit positions.
  for (let k = 0; k < bits; k++) {
    const j = k + rng.below(256 - k);
    const bit = bitOrder[j] ?? 0;
    bitOrder[j] = bitOrder[k] ?? 0;
    bitOrder[k] = bit;
    const byte = at * CODE_BYTES + (bit >> 3);
    codes[byte] = (codes[byte] ?? 0) ^ (1 << (bit & 7));
  }
}

/** Per query, how many codes are planted near its original (for V=1) and near its variant q mod 8 (for V=8). */
export const PLANTS = {
  /** Uniformly 0-20 bits away: the near-duplicates a match must find. */
  near: 3,
  /** Exactly 31 bits away: the edge of the threshold, still a match. */
  edge: 1,
  /** Exactly 32 bits away: just outside, must not be returned. */
  outside: 1,
} as const;

export type Haystack = {
  readonly codes: Uint8Array;
  readonly count: number;
  /** Per query: planted id -> its distance to the query (smallest over its variants), for V=1 and V=8. */
  readonly expected: { readonly 1: Map<number, number>[]; readonly 8: Map<number, number>[] };
  /** Ids of the codes planted 32 bits away (any method returning one has the radius wrong). */
  readonly outside: Set<number>;
  readonly planted: number;
};

/** Q queries of 8 codes each (8 random codes, standing in for an image's 8 dihedral PDQ hashes). */
export function makeQueries(count: number, seed: number): Uint8Array {
  return new Rng(seed).bytes(count * 8 * CODE_BYTES);
}

/** The originals (variant 0) of the queries: the V=1 queries. */
export function originals(queries8: Uint8Array): Uint8Array {
  const q = queries8.length / (8 * CODE_BYTES);
  const out = new Uint8Array(q * CODE_BYTES);
  for (let k = 0; k < q; k++) out.set(queries8.subarray(k * 8 * CODE_BYTES, k * 8 * CODE_BYTES + CODE_BYTES), k * CODE_BYTES);
  return out;
}

/**
 * `count` random codes with, for every query k, PLANTS near its original and PLANTS near its
 * variant k mod 8, each at a distinct random position. The expected matches are computed
 * afterwards from the codes themselves (a plant for V=1 is also a V=8 match, since the
 * original is variant 0), so they are right whatever overlaps the random data holds.
 */
export function makeHaystack(count: number, queries8: Uint8Array, seed: number): Haystack {
  const rng = new Rng(seed);
  const codes = rng.bytes(count * CODE_BYTES);
  const q = queries8.length / (8 * CODE_BYTES);
  const taken = new Set<number>();
  const position = () => {
    for (;;) {
      const at = rng.below(count);
      if (!taken.has(at)) {
        taken.add(at);
        return at;
      }
    }
  };
  const plantedBy: number[][] = [];
  const outside = new Set<number>();
  for (let k = 0; k < q; k++) {
    const mine: number[] = [];
    for (const variant of [0, k % 8]) {
      const from = k * 8 + variant;
      for (let i = 0; i < PLANTS.near; i++) {
        const at = position();
        plantNear(codes, at, queries8, from, rng.below(21), rng);
        mine.push(at);
      }
      for (let i = 0; i < PLANTS.edge; i++) {
        const at = position();
        plantNear(codes, at, queries8, from, MAX_DISTANCE, rng);
        mine.push(at);
      }
      for (let i = 0; i < PLANTS.outside; i++) {
        const at = position();
        plantNear(codes, at, queries8, from, MAX_DISTANCE + 1, rng);
        outside.add(at);
      }
    }
    plantedBy.push(mine);
  }
  const expected1: Map<number, number>[] = [];
  const expected8: Map<number, number>[] = [];
  for (let k = 0; k < q; k++) {
    const e1 = new Map<number, number>();
    const e8 = new Map<number, number>();
    for (const id of plantedBy[k] ?? []) {
      const d1 = distanceAt(codes, id, queries8, k * 8);
      let d8 = d1;
      for (let v = 1; v < 8; v++) d8 = Math.min(d8, distanceAt(codes, id, queries8, k * 8 + v));
      if (d1 <= MAX_DISTANCE) e1.set(id, d1);
      if (d8 <= MAX_DISTANCE) e8.set(id, d8);
    }
    expected1.push(e1);
    expected8.push(e8);
  }
  return { codes, count, expected: { 1: expected1, 8: expected8 }, outside, planted: taken.size };
}

/** One method's answer: per query, the ids found and their distances. */
export type Found = (q: number) => Iterable<{ readonly id: number; readonly distance: number }>;

export type Recall = {
  readonly queries: number;
  readonly expected: number;
  readonly found: number;
  /** Of the plants exactly 31 bits away: expected, found. */
  readonly edgeExpected: number;
  readonly edgeFound: number;
  /** Returned codes that were not expected: beyond 31 bits (a wrong radius), a wrong distance, or twice. */
  readonly wrong: number;
  /** Returned codes within 31 bits that were not planted (random codes that close: practically never). */
  readonly unplanted: number;
};

/** Checks a method's answer for the first `queries` queries against the plants and the codes. */
export function recallOf(h: Haystack, queries8: Uint8Array, variants: 1 | 8, queries: number, found: Found): Recall {
  let expected = 0;
  let hits = 0;
  let edgeExpected = 0;
  let edgeFound = 0;
  let wrong = 0;
  let unplanted = 0;
  for (let k = 0; k < queries; k++) {
    const want = h.expected[variants][k] ?? new Map<number, number>();
    expected += want.size;
    for (const d of want.values()) if (d === MAX_DISTANCE) edgeExpected++;
    const seen = new Set<number>();
    for (const r of found(k)) {
      if (seen.has(r.id)) {
        wrong++; // the same code twice for one query
        continue;
      }
      seen.add(r.id);
      const planted = want.get(r.id);
      if (planted !== undefined) {
        if (planted === r.distance) {
          hits++;
          if (planted === MAX_DISTANCE) edgeFound++;
        } else wrong++;
        continue;
      }
      let d = distanceAt(h.codes, r.id, queries8, k * 8);
      if (variants === 8) for (let v = 1; v < 8; v++) d = Math.min(d, distanceAt(h.codes, r.id, queries8, k * 8 + v));
      if (d <= MAX_DISTANCE && d === r.distance) unplanted++;
      else wrong++;
    }
  }
  return { queries, expected, found: hits, edgeExpected, edgeFound, wrong, unplanted };
}
