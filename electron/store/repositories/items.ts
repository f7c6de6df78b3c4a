import type { ExifView, ItemStatus, ItemView, MatchView } from '../../api/contract.js';
import type { Db } from '../database.js';
import { statement } from '../statements.js';
import { matchesOfItems } from './matches.js';

export type ItemKind = 'file' | 'symlink' | 'encrypted' | 'refused' | 'unreadable';
export type AnalysisState = 'pending' | 'done' | 'error' | 'skipped';

export type NewItem = {
  readonly caseId: number;
  readonly exhibitId: number;
  readonly sourceId: number;
  readonly parentId: number | null;
  readonly path: string;
  readonly locator: string;
  readonly kind: ItemKind;
  readonly size: number | null;
  readonly mtime: string | null;
  readonly ctime: string | null;
  readonly atime: string | null;
  readonly birthtime: string | null;
  readonly linkTarget: string | null;
  readonly analysis: AnalysisState;
  readonly error: string | null;
};

/**
 * Inserts what is not there yet; (source, path) identifies an item, so a re-walk adds nothing
 * twice. Returns how many rows, and how many bytes of files, were new.
 */
export function insertItems(db: Db, items: readonly NewItem[]): { count: number; bytes: number } {
  const stmt = statement(
    db,
    `INSERT INTO items (case_id, exhibit_id, source_id, parent_id, path, locator, kind, size, mtime, ctime, atime, birthtime, link_target, analysis, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, path) DO NOTHING`,
  );
  let count = 0;
  let bytes = 0;
  for (const i of items) {
    const { changes } = stmt.run(i.caseId, i.exhibitId, i.sourceId, i.parentId, i.path, i.locator, i.kind, i.size, i.mtime, i.ctime, i.atime, i.birthtime, i.linkTarget, i.analysis, i.error);
    count += changes;
    if (changes > 0 && i.kind === 'file') bytes += i.size ?? 0;
  }
  return { count, bytes };
}

export type PendingItem = { readonly id: number; readonly path: string; readonly locator: string; readonly sourceId: number; readonly size: number | null };

export function pendingItems(db: Db, sourceIds: readonly number[], afterId: number, limit: number): PendingItem[] {
  return statement(
    db,
    `SELECT id, path, locator, source_id AS sourceId, size FROM items
     WHERE analysis = 'pending' AND source_id IN (SELECT value FROM json_each(?)) AND id > ? ORDER BY id LIMIT ?`,
  ).all(JSON.stringify(sourceIds), afterId, limit) as PendingItem[];
}

export type AnalysisFields = {
  readonly analysis: 'done' | 'error';
  readonly size: number | null;
  readonly mime: string | null;
  readonly extensionMismatch: boolean | null;
  readonly md5: Buffer | null;
  readonly sha1: Buffer | null;
  readonly sha256: Buffer | null;
  readonly pdq: Buffer | null;
  readonly pdqQuality: number | null;
  readonly pdqVariants: Buffer | null;
  readonly blockhash: Buffer | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly exif: string | null;
  readonly error: string | null;
  readonly atimeKept: boolean | null;
};

export function recordAnalysis(db: Db, id: number, f: AnalysisFields): void {
  statement(
    db,
    `UPDATE items SET analysis = ?, size = coalesce(?, size), mime = ?, extension_mismatch = ?, md5 = ?, sha1 = ?, sha256 = ?,
       pdq = ?, pdq_quality = ?, pdq_variants = ?, blockhash = ?, width = ?, height = ?, exif = ?, error = ?, atime_kept = ? WHERE id = ?`,
  ).run(
    f.analysis,
    f.size,
    f.mime,
    f.extensionMismatch === null ? null : f.extensionMismatch ? 1 : 0,
    f.md5,
    f.sha1,
    f.sha256,
    f.pdq,
    f.pdqQuality,
    f.pdqVariants,
    f.blockhash,
    f.width,
    f.height,
    f.exif,
    f.error,
    f.atimeKept === null ? null : f.atimeKept ? 1 : 0,
    id,
  );
}

export function storeThumbnail(db: Db, itemId: number, webp: Buffer, width: number, height: number): void {
  statement(db, 'INSERT OR REPLACE INTO thumbnails (item_id, webp, width, height) VALUES (?, ?, ?, ?)').run(itemId, webp, width, height);
}

export type ProgressCounts = { readonly files: number; readonly done: number; readonly errors: number; readonly bytesTotal: number; readonly bytesDone: number };

export function progressCounts(db: Db, sourceIds: readonly number[]): ProgressCounts {
  const row = statement(
    db,
    `SELECT count(*) AS files,
            coalesce(sum(analysis != 'pending'), 0) AS done,
            coalesce(sum(analysis = 'error'), 0) AS errors,
            coalesce(sum(coalesce(size, 0)), 0) AS bytesTotal,
            coalesce(sum(CASE WHEN analysis != 'pending' THEN coalesce(size, 0) ELSE 0 END), 0) AS bytesDone
     FROM items WHERE source_id IN (SELECT value FROM json_each(?))`,
  ).get(JSON.stringify(sourceIds)) as ProgressCounts;
  return row;
}

export type AnalysisSummary = {
  readonly items: number;
  readonly analysed: number;
  readonly errors: number;
  readonly skipped: number;
  readonly bytes: number;
  /** Files read without O_NOATIME (not their owner, no CAP_FOWNER): their access time may have moved. */
  readonly atimeNotKept: number;
  /** What matching against the hash sets settled. */
  readonly known: number;
  readonly ignorable: number;
};

export function analysisSummary(db: Db, sourceIds: readonly number[]): AnalysisSummary {
  return statement(
    db,
    `SELECT count(*) AS items, coalesce(sum(analysis = 'done'), 0) AS analysed, coalesce(sum(analysis = 'error'), 0) AS errors,
            coalesce(sum(analysis = 'skipped'), 0) AS skipped, coalesce(sum(CASE WHEN kind = 'file' THEN coalesce(size, 0) ELSE 0 END), 0) AS bytes,
            coalesce(sum(atime_kept = 0), 0) AS atimeNotKept,
            coalesce(sum(status = 'known'), 0) AS known, coalesce(sum(status = 'ignorable'), 0) AS ignorable
     FROM items WHERE source_id IN (SELECT value FROM json_each(?))`,
  ).get(JSON.stringify(sourceIds)) as AnalysisSummary;
}

type ItemRow = {
  id: number;
  exhibit: string;
  path: string;
  size: number | null;
  mime: string | null;
  md5: Buffer | null;
  sha1: Buffer | null;
  sha256: Buffer | null;
  pdq: Buffer | null;
  pdq_quality: number | null;
  blockhash: Buffer | null;
  width: number | null;
  height: number | null;
  exif: string | null;
  category: string | null;
  status: ItemStatus;
  error: string | null;
};

const hex = (b: Buffer | null) => (b ? b.toString('hex') : null);

function exifView(json: string | null): ExifView | null {
  if (!json) return null;
  const e = JSON.parse(json) as ExifView;
  return { make: e.make, model: e.model, dateTimeOriginal: e.dateTimeOriginal, gps: e.gps };
}

const toView = (r: ItemRow): ItemView => ({
  id: r.id,
  exhibit: r.exhibit,
  path: r.path,
  size: r.size,
  mime: r.mime,
  md5: hex(r.md5),
  sha1: hex(r.sha1),
  sha256: hex(r.sha256),
  pdq: hex(r.pdq),
  pdqQuality: r.pdq_quality,
  blockhash: hex(r.blockhash),
  width: r.width,
  height: r.height,
  exif: exifView(r.exif),
  matches: [],
  category: r.category,
  status: r.status,
  error: r.error,
});

const ITEM_SELECT = `SELECT i.id, e.number AS exhibit, i.path, i.size, i.mime, i.md5, i.sha1, i.sha256, i.pdq, i.pdq_quality, i.blockhash,
  i.width, i.height, i.exif, i.category, i.status, i.error, i.case_id FROM items i JOIN exhibits e ON e.id = i.exhibit_id`;

export function listItems(db: Db, caseId: number, status: ItemStatus | null, offset: number, limit: number): ItemView[] {
  const rows = statement(db, `${ITEM_SELECT} WHERE i.case_id = ? AND (? IS NULL OR i.status = ?) ORDER BY i.id LIMIT ? OFFSET ?`).all(
    caseId,
    status,
    status,
    limit,
    offset,
  ) as ItemRow[];
  return withMatches(db, rows);
}

export function getItem(db: Db, itemId: number): (ItemView & { readonly caseId: number }) | undefined {
  const row = statement(db, `${ITEM_SELECT} WHERE i.id = ?`).get(itemId) as (ItemRow & { case_id: number }) | undefined;
  if (!row) return undefined;
  const [view] = withMatches(db, [row]);
  return view && { ...view, caseId: row.case_id };
}

function withMatches(db: Db, rows: readonly ItemRow[]): ItemView[] {
  const matches = new Map<number, MatchView[]>();
  for (const m of matchesOfItems(db, rows.map((r) => r.id))) {
    const list = matches.get(m.itemId) ?? [];
    list.push({ hashset: m.hashset, method: m.method, distance: m.distance, category: m.category });
    matches.set(m.itemId, list);
  }
  return rows.map((r) => ({ ...toView(r), matches: matches.get(r.id) ?? [] }));
}

export function countItems(db: Db, caseId: number, status: ItemStatus | null): number {
  return (statement(db, 'SELECT count(*) AS n FROM items WHERE case_id = ? AND (? IS NULL OR status = ?)').get(caseId, status, status) as { n: number }).n;
}
