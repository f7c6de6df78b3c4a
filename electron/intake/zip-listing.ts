// Lists a zip archive (a file, or an entry of another zip) so each entry can become an item.
// Nothing about a hostile archive is an exception here: an archive that cannot or must not be
// listed comes back `refused` with one line saying why, and no entries (so no half-trusted
// children); an entry that must not be read is listed with kind `refused` or `encrypted`.
import type { ArchiveCache } from './archive-cache.js';
import { locatorDepth, locatorKey, type Locator } from './locator.js';
import { openArchive } from './read.js';
import { SourceReadError } from './read-error.js';
import { describeZipError, type ZipArchive } from './zip-archive.js';
import { describeEntry, formatBytes, type ZipEntry } from './zip-entry.js';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-limits.js';

export type { ZipEntry, ZipEntryKind } from './zip-entry.js';
export { DEFAULT_ZIP_LIMITS, zipLimits, type ZipLimits } from './zip-limits.js';

export type ZipListing = {
  /** Central directory order; empty when the archive is refused. */
  readonly entries: readonly ZipEntry[];
  /** Why the whole archive was refused (one line), or null. */
  readonly refused: string | null;
};

const refuse = (reason: string): ZipListing => ({ entries: [], refused: reason });

export async function listZip(
  container: Locator,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  cache?: ArchiveCache,
): Promise<ZipListing> {
  const depth = locatorDepth(container);
  if (depth >= limits.maxNestingDepth) {
    return refuse(`archive nested ${depth} levels deep: not opened (the limit is ${limits.maxNestingDepth})`);
  }
  let archive: ZipArchive;
  try {
    archive = await openArchive(container, limits, cache);
  } catch (error) {
    if (error instanceof SourceReadError) return refuse(error.message);
    throw error;
  }
  try {
    if (archive.entryCount > limits.maxEntries) {
      return refuse(`archive has ${archive.entryCount} entries; the limit is ${limits.maxEntries}`);
    }
    // Shared with openLocator, so reading the children later seeks instead of walking again.
    const offsets = cache?.centralDirectory(locatorKey(container));
    const entries: ZipEntry[] = [];
    let declared = 0;
    for (let index = 0; ; index += 1) {
      if (offsets !== undefined && offsets.length === index) offsets.push(archive.cursor);
      const entry = await archive.next();
      if (entry === null) break;
      const described = describeEntry(entry, index, archive.size, limits);
      if (described.kind === 'file' || described.kind === 'symlink') declared += described.size;
      if (declared > limits.maxTotalExpandedBytes) {
        return refuse(
          `entries declare more than ${formatBytes(limits.maxTotalExpandedBytes)} when expanded (the limit; zip bomb?)`,
        );
      }
      entries.push(described);
    }
    return { entries, refused: null };
  } catch (error) {
    return refuse(describeZipError(error));
  } finally {
    archive.close();
  }
}
