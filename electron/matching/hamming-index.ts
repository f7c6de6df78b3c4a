// Hamming search over 256-bit codes (PDQ hashes): the custos-native index (multi-index hashing,
// native/src/hamming_index.h) when the addon is built, otherwise the plain scan below. Both
// return the same matches in the same order (tested), so a missing addon costs speed only; the
// scan is also the reference the index is tested against.
import { nativeAddon } from '../native/custos-native.js';

/** Bytes per code: PDQ's 256 bits, byte 0 being the first two hex digits. */
export const CODE_BYTES = 32;

export type HammingMatch = {
  readonly id: number;
  readonly distance: number;
  /** The query variant closest to the code; the lowest index among equally close ones. */
  readonly variant: number;
};

export type HammingSearchOptions = {
  /**
   * Codes per query: 1, or 8 for the PDQ dihedral variants of one image, in the order original,
   * rot90, rot180, rot270, flipX, flipY, flipPlus1, flipMinus1.
   */
  readonly variants: 1 | 8;
  /** Inclusive, 0 to 256 (PDQ matches at 31 or less). */
  readonly maxDistance: number;
  /** Threads one batch is split across (default 1); the script scan ignores it. */
  readonly threads?: number;
};

type FlatMatches = { offsets: Uint32Array; ids: Uint32Array; distances: Uint16Array; variants: Uint8Array };

type NativeIndex = {
  readonly size: number;
  memoryBytes(): number;
  search(queries: Uint8Array, variantsPerQuery: 1 | 8, maxDistance: number, threads?: number): Promise<FlatMatches>;
  searchSync(queries: Uint8Array, variantsPerQuery: 1 | 8, maxDistance: number, threads?: number): FlatMatches;
};

type NativeHamming = {
  HammingIndex: { new (codes: Uint8Array): NativeIndex; build(codes: Uint8Array): Promise<NativeIndex>; readonly popcount: 'popcnt' | 'builtin' | 'swar' };
};

function load(): NativeHamming | null {
  const addon = nativeAddon<NativeHamming>();
  // A build from before the index has the kernels but not this.
  return typeof addon?.HammingIndex === 'function' && typeof addon.HammingIndex.build === 'function' ? (addon as NativeHamming) : null;
}

const native = load();

/** What searches: the addon (and how it counts bits), or the script scan. */
export const hammingBackend: `native-${NativeHamming['HammingIndex']['popcount']}` | 'script' = native
  ? `native-${native.HammingIndex.popcount}`
  : 'script';

type Engine = { readonly kind: 'native'; readonly index: NativeIndex } | { readonly kind: 'script'; readonly words: Uint32Array };

/** An in-memory index of N codes (id i = the i-th), never persisted; rebuild it from the hash set. */
export class HammingIndex {
  private constructor(private readonly engine: Engine) {}

  /** `codes`: N codes of 32 bytes, copied. */
  static build(codes: Uint8Array): HammingIndex {
    if (native) return new HammingIndex({ kind: 'native', index: new native.HammingIndex(codes) });
    return new HammingIndex({ kind: 'script', words: codeWords(codes, 'codes') });
  }

  /** The same, built on a thread of the addon (seconds for ten million codes); `codes` must not change meanwhile. */
  static async buildAsync(codes: Uint8Array): Promise<HammingIndex> {
    if (native) return new HammingIndex({ kind: 'native', index: await native.HammingIndex.build(codes) });
    return HammingIndex.build(codes);
  }

  get size(): number {
    return this.engine.kind === 'native' ? this.engine.index.size : this.engine.words.length / 8;
  }

  memoryBytes(): number {
    return this.engine.kind === 'native' ? this.engine.index.memoryBytes() : this.engine.words.byteLength;
  }

  /**
   * The matches of each query (`queries` holds Q * variants codes), sorted by (distance, id), each
   * code once per query. Off the JavaScript thread with the addon. Rejects with a RangeError on
   * invalid options or sizes.
   */
  async search(queries: Uint8Array, options: HammingSearchOptions): Promise<HammingMatch[][]> {
    if (this.engine.kind === 'script') return this.searchSync(queries, options);
    return perQuery(await this.engine.index.search(queries, options.variants, options.maxDistance, options.threads ?? 1));
  }

  /** search() on the calling thread, for small batches; throws a RangeError on invalid input. */
  searchSync(queries: Uint8Array, options: HammingSearchOptions): HammingMatch[][] {
    if (this.engine.kind === 'native') {
      return perQuery(this.engine.index.searchSync(queries, options.variants, options.maxDistance, options.threads ?? 1));
    }
    checkOptions(options);
    return scanWords(this.engine.words, codeWords(queries, 'queries', options.variants), options.variants, options.maxDistance);
  }
}

/** The reference: every code against every query, with the semantics of HammingIndex.search. */
export function scanHamming(codes: Uint8Array, queries: Uint8Array, variants: 1 | 8, maxDistance: number): HammingMatch[][] {
  checkOptions({ variants, maxDistance });
  return scanWords(codeWords(codes, 'codes'), codeWords(queries, 'queries', variants), variants, maxDistance);
}

/** 64 hex digits to the 32 bytes they spell, in the order written. */
export function hexToCode(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new RangeError('a 256-bit code is 64 hex digits');
  const code = new Uint8Array(CODE_BYTES);
  for (let i = 0; i < CODE_BYTES; i++) code[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return code;
}

// The addon's checks and messages, so that both backends refuse the same calls.
function checkOptions(options: HammingSearchOptions): void {
  const { variants, maxDistance, threads = 1 } = options;
  if (variants !== 1 && variants !== 8) throw new RangeError('variantsPerQuery must be 1 or 8');
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 256) throw new RangeError('maxDistance must be an integer from 0 to 256');
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new RangeError('threads must be an integer from 1 to 256');
}

// Codes as 8 32-bit words each (copied, so aligned whatever the input's offset); their byte order
// is the machine's, which a distance does not see.
function codeWords(bytes: Uint8Array, what: 'codes' | 'queries', perGroup = 1): Uint32Array {
  if (!(bytes instanceof Uint8Array)) throw new RangeError(`${what} must be a Uint8Array`);
  if (bytes.length % (CODE_BYTES * perGroup) !== 0) {
    throw new RangeError(
      what === 'codes'
        ? 'codes must hold 32 bytes per code'
        : 'queries must hold 32 bytes per code and variantsPerQuery codes per query',
    );
  }
  return new Uint32Array(bytes.slice().buffer);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function scanWords(words: Uint32Array, queries: Uint32Array, variants: number, maxDistance: number): HammingMatch[][] {
  const count = words.length / 8;
  const results: HammingMatch[][] = [];
  for (let group = 0; group < queries.length; group += 8 * variants) {
    const found: HammingMatch[] = [];
    for (let id = 0; id < count; id++) {
      let distance = 257;
      let variant = 0;
      for (let v = 0; v < variants; v++) {
        let d = 0;
        for (let k = 0; k < 8; k++) d += popcount32((words[8 * id + k] ?? 0) ^ (queries[group + 8 * v + k] ?? 0));
        if (d < distance) {
          distance = d;
          variant = v;
        }
      }
      if (distance <= maxDistance) found.push({ id, distance, variant });
    }
    results.push(found.sort((a, b) => a.distance - b.distance || a.id - b.id));
  }
  return results;
}

function perQuery(flat: FlatMatches): HammingMatch[][] {
  const results: HammingMatch[][] = [];
  for (let q = 0; q + 1 < flat.offsets.length; q++) {
    const found: HammingMatch[] = [];
    for (let i = flat.offsets[q] ?? 0, end = flat.offsets[q + 1] ?? 0; i < end; i++) {
      found.push({ id: flat.ids[i] ?? 0, distance: flat.distances[i] ?? 0, variant: flat.variants[i] ?? 0 });
    }
    results.push(found);
  }
  return results;
}
