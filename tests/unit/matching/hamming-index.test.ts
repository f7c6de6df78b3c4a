// The Hamming index must return exactly what a brute-force scan returns (same ids, distances and
// closest variants, same order) on both of its routes, multi-index probing and the full scan;
// the scan itself is checked against the brute-force pairs of the shared PDQ vectors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CODE_BYTES,
  HammingIndex,
  hammingBackend,
  hexToCode,
  scanHamming,
  type HammingMatch,
} from '../../../electron/matching/hamming-index.js';
import { expectedRows, vectorSet } from '../../fixtures/shared-vectors.js';
import { seeded } from '../../fixtures/synthetic-images.js';

const native = hammingBackend !== 'script';
if (!native) console.warn('[skipped] native HammingIndex tests: custos-native is not built or CUSTOS_NO_NATIVE=1');
const pdq = vectorSet('pdq');
const hashsets = vectorSet('hashsets');

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function randomCodes(rnd: () => number, count: number): Uint8Array {
  const out = new Uint8Array(count * CODE_BYTES);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rnd() * 256);
  return out;
}

function codeAt(codes: Uint8Array, i: number): Uint8Array {
  return codes.slice(i * CODE_BYTES, (i + 1) * CODE_BYTES);
}

// A copy of the code with `bits` distinct bits flipped.
function flipped(code: Uint8Array, bits: number, rnd: () => number): Uint8Array {
  const out = code.slice();
  const chosen = new Set<number>();
  while (chosen.size < bits) chosen.add(Math.floor(rnd() * 256));
  for (const bit of chosen) out[bit >> 3] = (out[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return out;
}

// A copy of the code with perPair[k] bits flipped in bytes 2k and 2k + 1: the index's 16-bit
// chunks are such byte pairs (in some order), so this sets how far each chunk moves.
function spread(code: Uint8Array, perPair: readonly number[], rnd: () => number): Uint8Array {
  const out = code.slice();
  perPair.forEach((bits, pair) => {
    const chosen = new Set<number>();
    while (chosen.size < bits) chosen.add(Math.floor(rnd() * 16));
    for (const bit of chosen) out[2 * pair + (bit >> 3)] = (out[2 * pair + (bit >> 3)] ?? 0) ^ (1 << (bit & 7));
  });
  return out;
}

function upTo(results: readonly (readonly HammingMatch[])[], maxDistance: number): HammingMatch[][] {
  return results.map((found) => found.filter((match) => match.distance <= maxDistance));
}

describe('scanHamming (the reference, and the search without the addon)', () => {
  const zero = new Uint8Array(CODE_BYTES);
  const ones = new Uint8Array(CODE_BYTES).fill(0xff);
  const oneBit = hexToCode('80'.padEnd(64, '0'));

  it('returns every code within the distance, sorted by distance then id, up to 256 bits', () => {
    const codes = concat([ones, oneBit, zero, oneBit]);
    expect(scanHamming(codes, zero, 1, 256)).toEqual([
      [
        { id: 2, distance: 0, variant: 0 },
        { id: 1, distance: 1, variant: 0 },
        { id: 3, distance: 1, variant: 0 },
        { id: 0, distance: 256, variant: 0 },
      ],
    ]);
    expect(scanHamming(codes, concat([zero, ones]), 1, 0)).toEqual([[{ id: 2, distance: 0, variant: 0 }], [{ id: 0, distance: 0, variant: 0 }]]);
  });

  it('gives each code once per group of 8, at its closest variant, the lowest one on ties', () => {
    const rnd = seeded(5);
    const target = codeAt(randomCodes(rnd, 1), 0);
    const variants = Array.from({ length: 8 }, () => codeAt(randomCodes(rnd, 1), 0));
    variants[5] = flipped(target, 3, rnd);
    variants[2] = flipped(target, 3, rnd);
    variants[6] = flipped(target, 9, rnd);
    expect(scanHamming(target, concat(variants), 8, 31)).toEqual([[{ id: 0, distance: 3, variant: 2 }]]);
  });

  it('reads hex in the order written', () => {
    const hex = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1F';
    expect([...hexToCode(hex)]).toEqual(Array.from({ length: 32 }, (_, i) => i));
    for (const bad of ['', '00', `${hex}0`, hex.replace('0a', 'xz')]) expect(() => hexToCode(bad)).toThrow(RangeError);
  });
});

describe('argument checks (whichever backend runs)', () => {
  const index = HammingIndex.build(randomCodes(seeded(1), 10));
  const query = new Uint8Array(CODE_BYTES);

  it('refuses bad sizes, variant counts, distances and thread counts with a RangeError', async () => {
    expect(() => HammingIndex.build(new Uint8Array(33))).toThrow(RangeError);
    const bad: [Uint8Array, number, number, number?][] = [
      [query, 2, 10],
      [query, 8, 10],
      [new Uint8Array(33), 1, 10],
      [new Uint8Array(CODE_BYTES * 12), 8, 10],
      [query, 1, -1],
      [query, 1, 257],
      [query, 1, 1.5],
      [query, 1, Number.NaN],
      [query, 1, 10, 0],
      [query, 1, 10, 1.5],
      [query, 1, 10, 1000],
    ];
    for (const [queries, variants, maxDistance, threads] of bad) {
      const options = { variants: variants as 1 | 8, maxDistance, threads };
      expect(() => index.searchSync(queries, options), JSON.stringify([queries.length, variants, maxDistance, threads])).toThrow(RangeError);
      await expect(index.search(queries, options)).rejects.toThrow(RangeError);
      if (threads === undefined) expect(() => scanHamming(new Uint8Array(CODE_BYTES), queries, options.variants, maxDistance)).toThrow(RangeError);
    }
    expect(() => scanHamming(new Uint8Array(31), query, 1, 0)).toThrow(RangeError);
  });

  it('searches an empty index and an empty batch', async () => {
    expect(HammingIndex.build(new Uint8Array(0)).searchSync(query, { variants: 1, maxDistance: 256 })).toEqual([[]]);
    expect(await index.search(new Uint8Array(0), { variants: 8, maxDistance: 31 })).toEqual([]);
  });
});

describe.skipIf(!(pdq.present && hashsets.present))('against the brute-force pairs of the PDQ vectors', () => {
  // Read when the tests run, not when they are collected: a skipped describe is still collected.
  const lines = (name: string) => readFileSync(join(hashsets.dir, 'pdq', name), 'utf8').split('\n').filter((line) => line.trim() !== '');
  let needles: Uint8Array = new Uint8Array(0);
  let haystack: Uint8Array = new Uint8Array(0);
  let rows: string[][] = [];
  beforeAll(() => {
    needles = concat(lines('threatexchange_needles.txt').map(hexToCode));
    haystack = concat(lines('threatexchange_haystack.txt').map(hexToCode));
    rows = expectedRows(join(pdq.dir, 'expected', 'bruteforce-needles-vs-haystack-d32.tsv')).slice(1); // header
  });
  const expected = (maxDistance: number): string[] =>
    rows.filter((row) => Number(row[3]) <= maxDistance).map(([needle, , hay, distance]) => `${needle} ${hay} ${distance}`);
  const pairs = (results: readonly (readonly HammingMatch[])[]): string[] =>
    results.flatMap((found, needle) => found.map((match) => `${needle} ${match.id} ${match.distance}`));

  it('finds exactly the listed pairs within 32 bits, with the scan and with the index', async () => {
    expect(needles.length / CODE_BYTES).toBe(100);
    expect(rows.length).toBe(250);
    // The file lists pairs by needle then haystack index; results come by distance within a needle.
    const sorted = (list: string[]) => [...list].sort();
    expect(sorted(pairs(scanHamming(haystack, needles, 1, 32)))).toEqual(sorted(expected(32)));
    expect(sorted(pairs(await HammingIndex.build(haystack).search(needles, { variants: 1, maxDistance: 32 })))).toEqual(sorted(expected(32)));
  });

  it('finds the same pairs within 31 bits by multi-index probing, the haystack padded past the scan size', () => {
    const padded = concat([haystack, randomCodes(seeded(77), 8192)]);
    const found = HammingIndex.build(padded).searchSync(needles, { variants: 1, maxDistance: 31 });
    expect(pairs(found).sort()).toEqual(expected(31).sort());
  });
});

describe.skipIf(!native)('native HammingIndex against the scan', () => {
  // Random codes sit ~128 bits from any query, so the matches are the planted ones: copies of a
  // query's variants with 0 to 40 bits flipped, some twice (same code under two ids); in the
  // groups of 8 some variants near each other, so ties between variants occur; and codes that
  // only one chunk can find (that chunk 0 bits off and the others 1, 15 bits in all, or 1 bit
  // and 2, 31 in all), so a chunk the probing skipped would show.
  function planted(seed: number, count: number, groups: number): { codes: Uint8Array; queries: Uint8Array } {
    const rnd = seeded(seed);
    const codes = randomCodes(rnd, count);
    const queries = randomCodes(rnd, groups * 8);
    const plant = (code: Uint8Array) => codes.set(code, Math.floor(rnd() * count) * CODE_BYTES);
    for (let g = 0; g < groups; g++) {
      const base = codeAt(queries, g * 8);
      if (g % 4 === 1) for (let v = 1; v < 8; v++) queries.set(base, (g * 8 + v) * CODE_BYTES);
      if (g % 4 === 2) for (let v = 1; v < 8; v++) queries.set(flipped(base, v % 3, rnd), (g * 8 + v) * CODE_BYTES);
      if (g % 4 === 3) {
        for (let only = 0; only < 16; only++) {
          plant(spread(base, Array.from({ length: 16 }, (_, k) => (k === only ? 0 : 1)), rnd));
          plant(spread(base, Array.from({ length: 16 }, (_, k) => (k === only ? 1 : 2)), rnd));
        }
      }
      for (let p = 0; p < 12; p++) {
        const variant = p < 6 ? 0 : Math.floor(rnd() * 8);
        const code = flipped(codeAt(queries, g * 8 + variant), Math.floor(rnd() * 41), rnd);
        plant(code);
        if (p % 5 === 0) plant(code);
      }
    }
    return { codes, queries };
  }

  function singles(groups: Uint8Array): Uint8Array {
    return concat(Array.from({ length: groups.length / (8 * CODE_BYTES) }, (_, g) => codeAt(groups, g * 8)));
  }

  const THRESHOLDS = [0, 8, 14, 15, 16, 30, 31, 32, 47, 63];

  it.each([
    [20_000, 'probes below 32 bits and scans from 32'],
    [3_000, 'scans at every distance (a small index)'],
  ])('matches the scan on %i codes (%s), for 1 and 8 variants', (count) => {
    const { codes, queries } = planted(count, count, 48);
    const index = HammingIndex.build(codes);
    expect(index.size).toBe(count);
    for (const [variants, batch] of [
      [1, singles(queries)],
      [8, queries],
    ] as const) {
      const reference = scanHamming(codes, batch, variants, Math.max(...THRESHOLDS));
      for (const maxDistance of THRESHOLDS) {
        const found = index.searchSync(batch, { variants, maxDistance });
        expect(found, `${variants} variants, distance ${maxDistance}`).toEqual(upTo(reference, maxDistance));
        if (maxDistance >= 8) expect(found.flat().length).toBeGreaterThan(48);
      }
      if (variants === 8) expect(new Set(reference.flat().map((match) => match.variant)).size).toBe(8);
    }
  });

  it('gives the same results off the thread, on several threads, and from a query buffer reused meanwhile', async () => {
    const { codes, queries } = planted(3, 20_000, 40);
    const index = HammingIndex.build(codes);
    const expected = index.searchSync(queries, { variants: 8, maxDistance: 31 });
    const copy = queries.slice();
    const pending = index.search(copy, { variants: 8, maxDistance: 31, threads: 3 });
    copy.fill(0);
    expect(await pending).toEqual(expected);
    expect(await index.search(queries, { variants: 8, maxDistance: 31 })).toEqual(expected);
    expect(index.searchSync(queries, { variants: 8, maxDistance: 40, threads: 4 })).toEqual(
      await index.search(queries, { variants: 8, maxDistance: 40, threads: 2 }),
    );
  });

  it('builds the same index off the thread', async () => {
    const { codes, queries } = planted(5, 20_000, 40);
    const built = await HammingIndex.buildAsync(codes);
    expect(built.size).toBe(20_000);
    expect(built.searchSync(queries, { variants: 8, maxDistance: 31 })).toEqual(HammingIndex.build(codes).searchSync(queries, { variants: 8, maxDistance: 31 }));
  });

  it('holds 96 bytes per code plus 4 MiB of bucket offsets', () => {
    const count = 100_000;
    const index = HammingIndex.build(randomCodes(seeded(4), count));
    // 32 bytes of code and 16 ids of 4 bytes per code, plus 16 tables of 65 537 offsets: under
    // the 4 x 32 bytes per code of the raw codes from ~131 000 codes on, 96 per code at scale.
    const offsets = 16 * 65_537 * 4;
    expect(index.memoryBytes()).toBeLessThanOrEqual(96 * count + offsets + 1024);
    expect(index.memoryBytes()).toBeLessThanOrEqual(4 * 32 * count + offsets);
    // A small index is only scanned and keeps no tables.
    expect(HammingIndex.build(randomCodes(seeded(4), 1000)).memoryBytes()).toBeLessThanOrEqual(32 * 1000 + 1024);
  });

  const cpuHasPopcnt = process.platform === 'linux' && /^flags\s*:.*\bpopcnt\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  if (!cpuHasPopcnt) console.warn('[skipped] POPCNT dispatch test: not Linux, or the CPU lists no popcnt flag');

  it.skipIf(!cpuHasPopcnt)('counts bits with the POPCNT instruction where the CPU has it', () => {
    expect(hammingBackend).toBe('native-popcnt');
  });
});
