// `custos ingest` (sources into an exhibit, resumable) and `custos hash` (no store: the same
// per-file analysis, for conformance checks and quick looks).
import { basename, resolve } from 'node:path';
import type { IngestJobView, ItemView } from '../api/contract.js';
import { analyse } from '../analysis/task.js';
import { DEFAULT_ANALYSIS_LIMITS } from '../intake/ingest.js';
import { fileLocator } from '../intake/locator.js';
import { call, optional, required, type Command } from './command.js';
import { runtimeError, usageError } from './exit.js';
import { formatBytes, formatDuration, ProgressBar } from './progress-bar.js';

type HashFields = Pick<ItemView, 'path' | 'size' | 'mime' | 'md5' | 'sha1' | 'sha256' | 'pdq' | 'pdqQuality' | 'blockhash' | 'width' | 'height' | 'exif' | 'error'>;

export async function hashFile(path: string): Promise<HashFields> {
  const r = await analyse({
    itemId: 0,
    locator: fileLocator(resolve(path)),
    name: basename(path),
    limits: DEFAULT_ANALYSIS_LIMITS,
    thumbnails: false,
  });
  const none = { size: null, mime: null, md5: null, sha1: null, sha256: null, pdq: null, pdqQuality: null, blockhash: null, width: null, height: null, exif: null };
  if (!r.ok) return { path, ...none, error: r.error };
  const img = r.image;
  return {
    path,
    size: r.digests.size,
    mime: r.type.mime,
    md5: r.digests.md5,
    sha1: r.digests.sha1,
    sha256: r.digests.sha256,
    pdq: img?.pdq ?? null,
    pdqQuality: img?.pdqQuality ?? null,
    blockhash: img?.blockhash ?? null,
    width: img?.width ?? null,
    height: img?.height ?? null,
    exif: img?.exif ? { make: img.exif.make, model: img.exif.model, dateTimeOriginal: img.exif.dateTimeOriginal, gps: img.exif.gps } : null,
    error: r.error,
  };
}

function hashLine(h: HashFields): string {
  if (h.md5 === null) return `error  ${h.path}: ${h.error ?? 'unreadable'}`;
  const lines = [`${h.md5}  ${h.sha1}  ${h.sha256}  ${h.size}  ${h.mime}  ${h.path}`];
  if (h.pdq !== null) lines.push(`  pdq ${h.pdq} quality ${h.pdqQuality}  blockhash ${h.blockhash}  ${h.width}x${h.height}`);
  if (h.error !== null) lines.push(`  error: ${h.error}`);
  return lines.join('\n');
}

export const hashCommand: Command = {
  words: ['hash'],
  usage: 'hash FILE... [--json]',
  options: {},
  positionals: [1, 10_000],
  session: 'none',
  async run(ctx) {
    const results: HashFields[] = [];
    for (const path of ctx.parsed.positionals) results.push(await hashFile(path));
    ctx.out(results.map(hashLine).join('\n'), results);
  },
};

function summary(job: IngestJobView): string {
  const p = job.progress;
  const seconds = p.elapsedMs / 1000;
  return (
    `ingest ${job.id} ${job.state}: ${p.filesDone}/${p.filesTotal} items, ${formatBytes(p.bytesDone)}, ${p.errors} with errors, ` +
    `in ${formatDuration(seconds)} (${formatBytes(seconds > 0 ? p.bytesDone / seconds : 0)}/s)`
  );
}

export const ingestCommand: Command = {
  words: ['ingest'],
  usage: 'ingest --case NUM --exhibit EXH [--threads N] PATH...',
  options: { case: { type: 'string' }, exhibit: { type: 'string' }, threads: { type: 'string' } },
  positionals: [1, 256],
  session: 'unlock',
  async run(ctx) {
    const engine = ctx.engine;
    if (!engine) throw runtimeError('ingest needs a store');
    const threadsText = optional(ctx, 'threads');
    if (threadsText !== undefined && !/^[1-9]\d*$/.test(threadsText)) throw usageError('--threads takes a positive number');
    const bar = new ProgressBar();
    let jobId = -1;
    const finished = new Map<number, IngestJobView>();
    let settle: ((job: IngestJobView) => void) | null = null;
    const unsubscribe = engine.onEvent((e) => {
      if (e.event === 'ingest.progress' && e.payload.jobId === jobId) bar.update(e.payload);
      if (e.event === 'ingest.finished') {
        finished.set(e.payload.id, e.payload);
        if (e.payload.id === jobId) settle?.(e.payload);
      }
    });
    const interrupt = () => {
      process.stderr.write('\nstopping after the files in progress (run the same command again to resume)...\n');
      if (jobId > 0) void engine.call('ingest.stop', { jobId });
    };
    process.on('SIGINT', interrupt);
    try {
      const started = await call(ctx, 'ingest.start', {
        caseNumber: required(ctx, 'case'),
        exhibitNumber: required(ctx, 'exhibit'),
        paths: ctx.parsed.positionals.map((p) => resolve(p)),
        threads: threadsText === undefined ? undefined : Number(threadsText),
      });
      jobId = started.id;
      const job = finished.get(jobId) ?? (await new Promise<IngestJobView>((r) => (settle = r)));
      bar.end();
      if (job.state !== 'done') throw runtimeError(`${summary(job)}; run the same command again to resume`);
      ctx.out(summary(job), job);
    } finally {
      process.off('SIGINT', interrupt);
      unsubscribe();
    }
  },
};

export const itemsCommand: Command = {
  words: ['items'],
  usage: 'items --case NUM [--status known|ignorable|unreviewed|reviewed]',
  options: { case: { type: 'string' }, status: { type: 'string' } },
  positionals: [0, 0],
  session: 'unlock',
  async run(ctx) {
    const caseNumber = required(ctx, 'case');
    const status = optional(ctx, 'status');
    const items: ItemView[] = [];
    for (let offset = 0; ; ) {
      const page = await call(ctx, 'items.list', { caseNumber, status, offset, limit: 5000 });
      items.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) break;
    }
    const lines = items.map((i) => `${i.id}\t${i.status}\t${i.md5 ?? '-'}\t${i.mime ?? '-'}\t${i.size ?? '-'}\t${i.path}${i.error ? `\terror: ${i.error}` : ''}`);
    ctx.out(lines.join('\n'), items);
  },
};
