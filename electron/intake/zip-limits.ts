// Archives in evidence are hostile until proven otherwise: zip bombs (tiny files that inflate to
// terabytes, or nest to the same effect), archives with millions of entries, headers that lie.
// Every bound below is checked before work is done, and again on the bytes actually produced.

export type ZipLimits = {
  /** Entries in one archive; more refuses the whole archive before any is listed. */
  readonly maxEntries: number;
  /** Sum of the declared uncompressed sizes of one archive's entries. */
  readonly maxTotalExpandedBytes: number;
  /** Declared uncompressed : compressed size, for entries above `ratioCheckMinBytes`. */
  readonly maxExpansionRatio: number;
  /** Small entries may compress very well (a page of spaces): only larger ones are ratio-checked. */
  readonly ratioCheckMinBytes: number;
  /** Archives within archives: an archive whose locator is this many levels deep is not opened. */
  readonly maxNestingDepth: number;
  /** A nested archive is read whole into memory (zip needs random access): this bounds that buffer. */
  readonly maxNestedArchiveBytes: number;
};

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

// Ordinary archives compress photos and video hardly at all and text up to ~10:1; bombs run at
// 1000:1 and beyond. 200:1 leaves generous room for honest data.
export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntries: 100_000,
  maxTotalExpandedBytes: 64 * GiB,
  maxExpansionRatio: 200,
  ratioCheckMinBytes: 1 * MiB,
  maxNestingDepth: 8,
  maxNestedArchiveBytes: 512 * MiB,
});

export function zipLimits(overrides: Partial<ZipLimits> = {}): ZipLimits {
  return Object.freeze({ ...DEFAULT_ZIP_LIMITS, ...overrides });
}
