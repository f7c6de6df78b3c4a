// Handlers of the intake part of the contract: ingest jobs run in the background of the
// engine (their progress goes out as events), items are read page by page.
import { CustosError } from '../store/errors.js';
import { findExhibit } from '../store/repositories/exhibits.js';
import { getJob, jobsOfCase } from '../store/repositories/ingest.js';
import { countItems, listItems } from '../store/repositories/items.js';
import { IngestRun, jobView, restingProgress } from '../intake/ingest.js';
import type { OpenStore } from '../store/store.js';
import type { IngestJobView, MethodName } from './contract.js';
import { caseNamed, openSession, type Handlers, type ServiceContext } from './service-context.js';

type IngestMethods = 'ingest.start' | 'ingest.status' | 'ingest.list' | 'ingest.stop' | 'items.list';

function viewOf(ctx: ServiceContext, s: OpenStore, jobId: number): IngestJobView {
  const running = ctx.runs.get(jobId);
  if (running) return running.view();
  const job = getJob(s.db, jobId);
  if (!job) throw new CustosError('not-found', `no ingest job ${jobId}`);
  return jobView(s.db, job, restingProgress(s.db, job));
}

/** Stops every running ingest (lock, shutdown): each records its stop in custody. */
export async function stopAllIngests(ctx: ServiceContext, reason: string): Promise<void> {
  await Promise.all([...ctx.runs.values()].map((run) => run.stop(reason).catch(() => undefined)));
}

export const ingestHandlers: Pick<Handlers, Extract<MethodName, IngestMethods>> = {
  'ingest.start': async (ctx, { caseNumber, exhibitNumber, paths, threads }) => {
    const s = openSession(ctx);
    const c = caseNamed(s, caseNumber);
    const exhibit = findExhibit(s.db, c.id, exhibitNumber);
    if (!exhibit) throw new CustosError('not-found', `no exhibit '${exhibitNumber}' in case '${caseNumber}'`);
    const run = await IngestRun.start(s.db, { caseId: c.id, exhibitId: exhibit.id, paths, actor: s.user.name, threads }, ctx.emit);
    const already = ctx.runs.get(run.jobId);
    if (already && already !== run) {
      // The same sources are being ingested right now: the new run would duplicate its work.
      await run.stop('already running');
      return already.view();
    }
    ctx.runs.set(run.jobId, run);
    // A run that fails while recording its end (the store closed under it) must not take the
    // engine down with an unhandled rejection; its job stays resumable.
    void run.finished.catch(() => undefined).finally(() => ctx.runs.delete(run.jobId));
    return run.view();
  },

  'ingest.status': (ctx, { jobId }) => viewOf(ctx, openSession(ctx), jobId),

  'ingest.list': (ctx, { caseNumber }) => {
    const s = openSession(ctx);
    return jobsOfCase(s.db, caseNamed(s, caseNumber).id).map((job) => viewOf(ctx, s, job.id));
  },

  'ingest.stop': async (ctx, { jobId }) => {
    const s = openSession(ctx);
    const run = ctx.runs.get(jobId);
    if (!run) return viewOf(ctx, s, jobId);
    return run.stop('stopped by user');
  },

  'items.list': (ctx, { caseNumber, status, offset, limit }) => {
    const s = openSession(ctx);
    const c = caseNamed(s, caseNumber);
    return { total: countItems(s.db, c.id, status ?? null), items: listItems(s.db, c.id, status ?? null, offset, limit) };
  },
};
