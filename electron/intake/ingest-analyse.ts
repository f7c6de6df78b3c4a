// Phase two of an ingest: every pending item through the worker pool, results written in
// batched transactions. Pending items are picked up by id, so archive entries found on the
// way (inserted as new pending items) are analysed in the same run; after a crash, whatever
// was not committed is still pending and is simply done again.
import type { Db } from '../store/database.js';
import {
  insertItems,
  pendingItems,
  recordAnalysis,
  storeThumbnail,
  type NewItem,
  type PendingItem,
} from '../store/repositories/items.js';
import { matchableItemsById } from '../store/repositories/matches.js';
import type { AnalysisPool } from '../analysis/pool.js';
import { matchItems, searchPerceptual, type CaseMatching } from '../matching/matcher.js';
import type { AnalysisLimits, AnalysisResult } from '../analysis/task.js';
import type { ZipListing } from './zip-listing.js';
import { parseLocator, zipEntryLocator, type Locator } from './locator.js';

const FLUSH_RESULTS = 128;
const FLUSH_MS = 250;

export type AnalyseContext = {
  readonly db: Db;
  readonly pool: AnalysisPool;
  readonly sourceIds: readonly number[];
  readonly limits: AnalysisLimits;
  readonly thumbnails: boolean;
  readonly stopped: () => boolean;
  readonly discovered: (files: number, bytes: number) => void;
  readonly analysed: (bytes: number, failed: boolean) => void;
  readonly committed: () => void;
  /** The case's matching rules: every analysed item is matched as it is committed. */
  readonly matching: CaseMatching;
};

type Done = { readonly item: PendingItem; readonly result: AnalysisResult };

const hexBytes = (hex: string | null | undefined) => (hex ? Buffer.from(hex, 'hex') : null);

// The name after the last '/' (an archive separator '!/' ends in one too).
function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function childrenOf(item: PendingItem, locator: Locator, listing: ZipListing, caseId: number, exhibitId: number): NewItem[] {
  return listing.entries.flatMap((entry): NewItem[] => {
    if (entry.kind === 'directory') return [];
    const child = zipEntryLocator(locator, entry.index, entry.name);
    const readable = entry.kind === 'file';
    return [
      {
        caseId,
        exhibitId,
        sourceId: item.sourceId,
        parentId: item.id,
        path: `${item.path}!/${entry.name}`,
        locator: JSON.stringify(child),
        kind: readable ? 'file' : entry.kind === 'symlink' ? 'symlink' : entry.kind,
        size: entry.size,
        mtime: entry.mtime,
        ctime: null,
        atime: null,
        birthtime: null,
        linkTarget: null,
        analysis: readable ? 'pending' : entry.kind === 'symlink' ? 'skipped' : 'error',
        error: readable || entry.kind === 'symlink' ? null : entry.reason ?? (entry.kind === 'encrypted' ? 'encrypted entry: not readable without its password' : 'entry refused'),
      },
    ];
  });
}

/** Writes a batch of results in one transaction; returns what the archives among them added. */
async function commitResults(ctx: AnalyseContext, done: readonly Done[], ids: { caseId: number; exhibitId: number }): Promise<void> {
  // The 8 dihedral PDQ hashes of each image, packed once: stored with the item and searched.
  const variants = new Map(
    done.flatMap(({ item, result }) => (result.ok && result.image ? [[item.id, Buffer.concat(result.image.pdqVariants.map((v) => Buffer.from(v, 'hex')))] as const] : [])),
  );
  // Perceptual matching searches off this thread first; the transaction then records analysis
  // and matches together.
  const perceptual = await searchPerceptual(
    ctx.db,
    done.flatMap(({ item, result }) =>
      result.ok && result.image
        ? [{ id: item.id, pdqQuality: result.image.pdqQuality, pdqVariants: variants.get(item.id) ?? null, blockhash: hexBytes(result.image.blockhash) }]
        : [],
    ),
    ctx.matching,
  );
  const added = ctx.db.transaction(() => {
    let count = 0;
    let bytes = 0;
    for (const { item, result } of done) {
      if (!result.ok) {
        recordAnalysis(ctx.db, item.id, {
          analysis: 'error', size: null, mime: null, extensionMismatch: null, md5: null, sha1: null, sha256: null,
          pdq: null, pdqQuality: null, pdqVariants: null, blockhash: null, width: null, height: null, exif: null, error: result.error, atimeKept: null,
        });
        continue;
      }
      const { digests, type, image, archive } = result;
      const error = result.error ?? archive?.refused ?? null;
      recordAnalysis(ctx.db, item.id, {
        analysis: error ? 'error' : 'done',
        size: digests.size,
        mime: type.mime,
        extensionMismatch: type.extensionMismatch,
        md5: hexBytes(digests.md5),
        sha1: hexBytes(digests.sha1),
        sha256: hexBytes(digests.sha256),
        pdq: hexBytes(image?.pdq),
        pdqQuality: image?.pdqQuality ?? null,
        pdqVariants: variants.get(item.id) ?? null,
        blockhash: hexBytes(image?.blockhash),
        width: image?.width ?? null,
        height: image?.height ?? null,
        exif: image?.exif ? JSON.stringify(image.exif) : null,
        error,
        atimeKept: result.atimePreserved,
      });
      if (image?.thumbnail) storeThumbnail(ctx.db, item.id, Buffer.from(image.thumbnail.webp), image.thumbnail.width, image.thumbnail.height);
      if (archive && archive.entries.length > 0) {
        const r = insertItems(ctx.db, childrenOf(item, parseLocator(item.locator), archive, ids.caseId, ids.exhibitId));
        count += r.count;
        bytes += r.bytes;
      }
    }
    // Matched in the same transaction: an item is never committed analysed but unmatched.
    matchItems(ctx.db, matchableItemsById(ctx.db, done.flatMap(({ item, result }) => (result.ok ? [item.id] : []))), ctx.matching, perceptual);
    return { count, bytes };
  })();
  if (added.count > 0) ctx.discovered(added.count, added.bytes);
  for (const { item, result } of done) ctx.analysed(result.ok ? result.digests.size : (item.size ?? 0), !result.ok || result.error !== null);
  ctx.committed();
}

export async function analysePending(ctx: AnalyseContext, ids: { caseId: number; exhibitId: number }): Promise<void> {
  const maxInFlight = ctx.pool.capacity;
  const inFlight = new Map<number, Promise<void>>();
  const done: Done[] = [];
  let lastId = 0;
  let lastFlush = performance.now();

  const flush = async () => {
    if (done.length > 0) await commitResults(ctx, done.splice(0), ids);
    lastFlush = performance.now();
  };

  const dispatch = (item: PendingItem) => {
    const locator = parseLocator(item.locator);
    const task = { itemId: item.id, locator, name: lastSegment(item.path), limits: ctx.limits, thumbnails: ctx.thumbnails };
    const running = ctx.pool
      .run(task)
      .catch((err: unknown): AnalysisResult => ({ itemId: item.id, ok: false, error: `analysis failed: ${err instanceof Error ? err.message : String(err)}` }))
      .then((result) => {
        done.push({ item, result });
        inFlight.delete(item.id);
      });
    inFlight.set(item.id, running);
  };

  for (;;) {
    if (done.length >= FLUSH_RESULTS || (done.length > 0 && performance.now() - lastFlush >= FLUSH_MS)) await flush();
    if (ctx.stopped()) break;
    if (inFlight.size >= maxInFlight) {
      await Promise.race(inFlight.values());
      continue;
    }
    const batch = pendingItems(ctx.db, ctx.sourceIds, lastId, maxInFlight - inFlight.size);
    if (batch.length > 0) {
      for (const item of batch) {
        lastId = item.id;
        dispatch(item);
      }
      continue;
    }
    if (inFlight.size > 0) {
      await Promise.race(inFlight.values());
      continue;
    }
    if (done.length > 0) {
      // Archives among these may add entries: commit, then look again.
      await flush();
      continue;
    }
    break;
  }
  await Promise.all(inFlight.values());
  await flush();
}
