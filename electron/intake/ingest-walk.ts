// Phase one of an ingest: walk each source and record one item per file found, in batched
// transactions. Re-walking after a crash is harmless: (source, path) identifies an item.
import { basename } from 'node:path';
import type { Db } from '../store/database.js';
import { insertItems, type NewItem } from '../store/repositories/items.js';
import { markSourceWalked } from '../store/repositories/ingest.js';
import type { SourceView } from '../api/contract.js';
import { appendEvent } from '../custody/log.js';
import { escapeBytes } from './display-bytes.js';
import { fileLocator } from './locator.js';
import { walkFolder, type SourceStat, type WalkEntry } from './walker.js';

const BATCH = 1000;

export type WalkContext = {
  readonly db: Db;
  readonly actor: string;
  readonly jobId: number;
  readonly caseId: number;
  readonly exhibitId: number;
  readonly stopped: () => boolean;
  /** Called after each committed batch with what it added. */
  readonly discovered: (files: number, bytes: number) => void;
};

type Counts = { size: number; files: number; symlinks: number; specials: number; errors: number };

/** Item paths start with the source's own name, so items of two sources of one exhibit read apart. */
const sourceName = (path: string) => escapeBytes(Buffer.from(basename(path), 'utf8'));

function itemOf(ctx: WalkContext, source: SourceView, e: WalkEntry): NewItem | null {
  const base = { caseId: ctx.caseId, exhibitId: ctx.exhibitId, sourceId: source.id, parentId: null, path: `${sourceName(source.path)}/${e.relPath}` };
  const noTimes = { size: null, mtime: null, ctime: null, atime: null, birthtime: null };
  switch (e.kind) {
    case 'file':
      return { ...base, locator: JSON.stringify(e.locator), kind: 'file', size: e.size, ...e.times, linkTarget: null, analysis: 'pending', error: null };
    case 'symlink':
      return {
        ...base,
        locator: 'null',
        kind: 'symlink',
        size: e.size,
        ...e.times,
        linkTarget: e.linkTarget,
        analysis: 'skipped',
        error: null,
      };
    case 'error':
      return { ...base, locator: 'null', kind: 'unreadable', ...noTimes, linkTarget: null, analysis: 'error', error: e.error };
    case 'special':
      return null;
  }
}

function commit(ctx: WalkContext, items: NewItem[]): void {
  if (items.length === 0) return;
  const added = ctx.db.transaction(() => insertItems(ctx.db, items))();
  ctx.discovered(added.count, added.bytes);
  items.length = 0;
}

function finishSource(ctx: WalkContext, source: SourceView, c: Counts): void {
  ctx.db.transaction(() => {
    markSourceWalked(ctx.db, source.id, c);
    appendEvent(ctx.db, {
      actor: ctx.actor,
      action: 'ingest.source',
      subject: `ingest/${ctx.jobId}`,
      details: { source: source.path, kind: source.kind, bytes: c.size, files: c.files, symlinks: c.symlinks, specials: c.specials, errors: c.errors },
    });
  })();
}

/** A single file given as a source is one item, named by its file name. */
export function walkFileSource(ctx: WalkContext, source: SourceView, stat: SourceStat): void {
  const item: NewItem = {
    caseId: ctx.caseId,
    exhibitId: ctx.exhibitId,
    sourceId: source.id,
    parentId: null,
    path: sourceName(source.path),
    locator: JSON.stringify(fileLocator(source.path)),
    kind: 'file',
    size: stat.size,
    ...stat.times,
    linkTarget: null,
    analysis: 'pending',
    error: null,
  };
  commit(ctx, [item]);
  finishSource(ctx, source, { size: stat.size, files: 1, symlinks: 0, specials: 0, errors: 0 });
}

/** Walks a folder source; returns false when stopped before the end (the walk resumes next run). */
export async function walkFolderSource(ctx: WalkContext, source: SourceView): Promise<boolean> {
  const c: Counts = { size: 0, files: 0, symlinks: 0, specials: 0, errors: 0 };
  const batch: NewItem[] = [];
  for await (const entry of walkFolder(source.path)) {
    if (ctx.stopped()) {
      commit(ctx, batch);
      return false;
    }
    if (entry.kind === 'file') {
      c.files += 1;
      c.size += entry.size;
    } else if (entry.kind === 'symlink') c.symlinks += 1;
    else if (entry.kind === 'special') c.specials += 1;
    else c.errors += 1;
    const item = itemOf(ctx, source, entry);
    if (item) batch.push(item);
    if (batch.length >= BATCH) commit(ctx, batch);
  }
  commit(ctx, batch);
  finishSource(ctx, source, c);
  return true;
}
