// An ingest job: attach sources to an exhibit, walk them, analyse every item, and record the
// job in custody (ingest.start or ingest.resume, ingest.source per source walked, then
// ingest.finish or ingest.stop). The same command run again resumes an unfinished job.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { EngineEvent, IngestJobView, IngestPhase } from '../api/contract.js';
import type { Db } from '../store/database.js';
import { CustosError } from '../store/errors.js';
import { ensureSource, findUnfinishedJob, getJob, insertJob, setJobState, sourcesOfJob, type JobRow } from '../store/repositories/ingest.js';
import { analysisSummary, progressCounts } from '../store/repositories/items.js';
import { appendEvent } from '../custody/log.js';
import { AnalysisPool } from '../analysis/pool.js';
import type { AnalysisLimits } from '../analysis/task.js';
import { DEFAULT_ZIP_LIMITS } from './zip-limits.js';
import { IngestProgressCounter } from './ingest-progress.js';
import { walkFileSource, walkFolderSource, type WalkContext } from './ingest-walk.js';
import { analysePending } from './ingest-analyse.js';
import { statSource, type SourceStat } from './walker.js';
import { getCase } from '../store/repositories/cases.js';
import { caseMatching as rulesOf, type CaseMatching } from '../matching/matcher.js';

function caseMatching(db: Db, caseId: number): CaseMatching {
  const c = getCase(db, caseId);
  if (!c) throw new CustosError('not-found', `case ${caseId} is gone`);
  return rulesOf(c);
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = {
  maxImageBytes: 256 * 1024 * 1024,
  limitInputPixels: 268_402_689,
  zip: DEFAULT_ZIP_LIMITS,
};

const PROGRESS_EVERY_MS = 250;

export type IngestRequest = {
  readonly caseId: number;
  readonly exhibitId: number;
  readonly paths: readonly string[];
  readonly actor: string;
  readonly threads?: number;
  readonly limits?: AnalysisLimits;
};

export function jobView(db: Db, job: JobRow, progress: IngestJobView['progress']): IngestJobView {
  return {
    id: job.id,
    caseNumber: job.case_number,
    exhibitNumber: job.exhibit_number,
    state: job.state,
    startedAt: job.started_at,
    startedBy: job.started_by,
    finishedAt: job.finished_at,
    sources: sourcesOfJob(db, job.id),
    progress,
  };
}

/** Progress of a job that is not running now, from the store alone. */
export function restingProgress(db: Db, job: JobRow): IngestJobView['progress'] {
  const counter = new IngestProgressCounter(job.id, progressCounts(db, sourcesOfJob(db, job.id).map((s) => s.id)), job.active_ms);
  return counter.snapshot(job.state === 'done' ? 'done' : 'stopped');
}

async function statAll(paths: readonly string[]): Promise<Map<string, SourceStat>> {
  const stats = new Map<string, SourceStat>();
  for (const path of paths) {
    let stat: SourceStat;
    try {
      stat = await statSource(path);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const why = code === 'not-found' ? 'no such file or folder' : err instanceof Error ? err.message : String(err);
      throw new CustosError('bad-input', `cannot read source ${path}: ${why}`);
    }
    if (stat.kind !== 'file' && stat.kind !== 'directory') {
      throw new CustosError('bad-input', `source ${path} is a ${stat.kind}: give a folder, an archive or a file`);
    }
    stats.set(path, stat);
  }
  return stats;
}

export class IngestRun {
  readonly jobId: number;
  readonly finished: Promise<IngestJobView>;
  #stopReason: string | null = null;
  #phase: IngestPhase = 'walking';
  #lastProgress = 0;
  readonly #counter: IngestProgressCounter;

  private constructor(
    private readonly db: Db,
    private readonly job: JobRow,
    private readonly stats: Map<string, SourceStat>,
    private readonly request: IngestRequest,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.jobId = job.id;
    this.#counter = new IngestProgressCounter(job.id, progressCounts(db, sourcesOfJob(db, job.id).map((s) => s.id)), job.active_ms);
    this.finished = this.#run();
  }

  /**
   * Starts (or resumes) the job for these sources. Timestamps of every source are recorded
   * before anything of it is read; the custody event commits with the job row.
   */
  static async start(db: Db, request: IngestRequest, emit: (event: EngineEvent) => void): Promise<IngestRun> {
    const paths = [...new Set(request.paths.map((p) => resolve(p)))].sort();
    const stats = await statAll(paths);
    const key = createHash('sha256').update(JSON.stringify(paths)).digest('hex');
    const now = new Date().toISOString();
    const jobId = db.transaction(() => {
      const unfinished = findUnfinishedJob(db, request.exhibitId, key);
      if (unfinished) {
        setJobState(db, unfinished.id, 'running', 0, null);
        appendEvent(db, { actor: request.actor, action: 'ingest.resume', subject: `ingest/${unfinished.id}` });
        return unfinished.id;
      }
      const id = insertJob(db, { caseId: request.caseId, exhibitId: request.exhibitId, sourcesKey: key, startedAt: now, startedBy: request.actor });
      const sources = paths.map((path) => {
        const stat = stats.get(path) as SourceStat;
        const kind = stat.kind === 'directory' ? 'folder' : 'file';
        const times = { size: kind === 'file' ? stat.size : null, ...stat.times };
        ensureSource(db, { exhibitId: request.exhibitId, jobId: id, path, kind, times });
        return { path, kind, ...times };
      });
      const job = getJob(db, id) as JobRow;
      appendEvent(db, {
        actor: request.actor,
        action: 'ingest.start',
        subject: `ingest/${id}`,
        details: { case: job.case_number, exhibit: job.exhibit_number, sources },
      });
      return id;
    })();
    return new IngestRun(db, getJob(db, jobId) as JobRow, stats, request, emit);
  }

  /** Asks the run to stop after what is in flight; resolves when the stop is recorded. */
  async stop(reason: string): Promise<IngestJobView> {
    this.#stopReason ??= reason;
    return this.finished;
  }

  view(): IngestJobView {
    return jobView(this.db, getJob(this.db, this.jobId) as JobRow, this.#counter.snapshot(this.#phase));
  }

  #progress(force = false): void {
    const now = performance.now();
    if (!force && now - this.#lastProgress < PROGRESS_EVERY_MS) return;
    this.#lastProgress = now;
    this.emit({ event: 'ingest.progress', payload: this.#counter.snapshot(this.#phase) });
  }

  async #run(): Promise<IngestJobView> {
    // Let start() return the job before any work begins.
    await Promise.resolve();
    const stopped = () => this.#stopReason !== null;
    const discovered = (files: number, bytes: number) => {
      this.#counter.discovered(files, bytes);
      this.#progress();
    };
    let failure: string | null = null;
    const pool = new AnalysisPool({ threads: this.request.threads });
    try {
      const walk: WalkContext = {
        db: this.db,
        actor: this.request.actor,
        jobId: this.jobId,
        caseId: this.job.case_id,
        exhibitId: this.job.exhibit_id,
        stopped,
        discovered,
      };
      for (const source of sourcesOfJob(this.db, this.jobId)) {
        if (source.walked || stopped()) continue;
        const stat = this.stats.get(source.path);
        if (source.kind === 'file' && stat) walkFileSource(walk, source, stat);
        else await walkFolderSource(walk, source);
      }
      this.#phase = 'analysing';
      this.#progress(true);
      if (!stopped()) {
        await analysePending(
          {
            db: this.db,
            pool,
            sourceIds: sourcesOfJob(this.db, this.jobId).map((s) => s.id),
            limits: this.request.limits ?? DEFAULT_ANALYSIS_LIMITS,
            thumbnails: true,
            stopped,
            discovered,
            analysed: (bytes, failed) => this.#counter.analysed(bytes, failed),
            committed: () => this.#progress(),
            matching: caseMatching(this.db, this.job.case_id),
          },
          { caseId: this.job.case_id, exhibitId: this.job.exhibit_id },
        );
      }
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    } finally {
      await pool.destroy();
    }
    return this.#record(failure);
  }

  #record(failure: string | null): IngestJobView {
    const activeMs = this.#counter.runMs();
    const sourceIds = sourcesOfJob(this.db, this.jobId).map((s) => s.id);
    const complete = failure === null && this.#stopReason === null;
    this.db.transaction(() => {
      if (complete) {
        const job = getJob(this.db, this.jobId) as JobRow;
        setJobState(this.db, this.jobId, 'done', activeMs, new Date().toISOString());
        appendEvent(this.db, {
          actor: this.request.actor,
          action: 'ingest.finish',
          subject: `ingest/${this.jobId}`,
          details: { ...analysisSummary(this.db, sourceIds), durationMs: Math.round(job.active_ms + activeMs) },
        });
      } else {
        setJobState(this.db, this.jobId, 'stopped', activeMs, null);
        appendEvent(this.db, {
          actor: this.request.actor,
          action: 'ingest.stop',
          subject: `ingest/${this.jobId}`,
          details: { reason: failure ?? this.#stopReason, ...analysisSummary(this.db, sourceIds) },
        });
      }
    })();
    this.#phase = complete ? 'done' : 'stopped';
    this.#progress(true);
    const view = this.view();
    this.emit({ event: 'ingest.finished', payload: view });
    return view;
  }
}
