import type { SourceView } from '../../api/contract.js';
import type { Db } from '../database.js';
import { statement } from '../statements.js';

export type JobRow = {
  readonly id: number;
  readonly case_number: string;
  readonly exhibit_number: string;
  readonly case_id: number;
  readonly exhibit_id: number;
  readonly sources_key: string;
  readonly state: 'running' | 'stopped' | 'done';
  readonly started_at: string;
  readonly started_by: string;
  readonly finished_at: string | null;
  readonly active_ms: number;
};

export type SourceTimes = {
  readonly size: number | null;
  readonly mtime: string | null;
  readonly ctime: string | null;
  readonly atime: string | null;
  readonly birthtime: string | null;
};

const JOB_SELECT = `SELECT j.id, c.number AS case_number, e.number AS exhibit_number, j.case_id, j.exhibit_id, j.sources_key, j.state,
  j.started_at, j.started_by, j.finished_at, j.active_ms FROM ingest_jobs j JOIN cases c ON c.id = j.case_id JOIN exhibits e ON e.id = j.exhibit_id`;

/** The unfinished job for the same exhibit and the same sources: running the command again resumes it. */
export function findUnfinishedJob(db: Db, exhibitId: number, sourcesKey: string): JobRow | undefined {
  return statement(
    db,
    `${JOB_SELECT} WHERE j.exhibit_id = ? AND j.sources_key = ? AND j.state != 'done' ORDER BY j.id DESC LIMIT 1`,
  ).get(exhibitId, sourcesKey) as JobRow | undefined;
}

export function getJob(db: Db, id: number): JobRow | undefined {
  return statement(db, `${JOB_SELECT} WHERE j.id = ?`).get(id) as JobRow | undefined;
}

export function jobsOfCase(db: Db, caseId: number): JobRow[] {
  return statement(db, `${JOB_SELECT} WHERE j.case_id = ? ORDER BY j.id DESC`).all(caseId) as JobRow[];
}

export function insertJob(db: Db, j: { caseId: number; exhibitId: number; sourcesKey: string; startedAt: string; startedBy: string }): number {
  return Number(
    statement(db, `INSERT INTO ingest_jobs (case_id, exhibit_id, sources_key, state, started_at, started_by) VALUES (?, ?, ?, 'running', ?, ?)`).run(
      j.caseId,
      j.exhibitId,
      j.sourcesKey,
      j.startedAt,
      j.startedBy,
    ).lastInsertRowid,
  );
}

export function setJobState(db: Db, id: number, state: JobRow['state'], addActiveMs: number, finishedAt: string | null): void {
  statement(db, 'UPDATE ingest_jobs SET state = ?, active_ms = active_ms + ?, finished_at = ? WHERE id = ?').run(state, Math.round(addActiveMs), finishedAt, id);
}

type SourceRow = {
  id: number;
  path: string;
  kind: 'folder' | 'file';
  size: number | null;
  mtime: string | null;
  walked: number;
  files: number;
  symlinks: number;
  specials: number;
  errors: number;
};

const toSourceView = (r: SourceRow): SourceView => ({ ...r, walked: r.walked === 1 });

const SOURCE_COLUMNS = 'id, path, kind, size, mtime, walked, files, symlinks, specials, errors';

/**
 * The source row for (exhibit, path), created on first sight and linked to the job. Timestamps
 * are those recorded the first time the source was seen, before anything was read; a later run
 * never overwrites them.
 */
export function ensureSource(db: Db, s: { exhibitId: number; jobId: number; path: string; kind: 'folder' | 'file'; times: SourceTimes }): number {
  statement(
    db,
    `INSERT INTO sources (exhibit_id, path, kind, size, mtime, ctime, atime, birthtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (exhibit_id, path) DO NOTHING`,
  ).run(s.exhibitId, s.path, s.kind, s.times.size, s.times.mtime, s.times.ctime, s.times.atime, s.times.birthtime);
  const { id } = statement(db, 'SELECT id FROM sources WHERE exhibit_id = ? AND path = ?').get(s.exhibitId, s.path) as { id: number };
  statement(db, 'INSERT OR IGNORE INTO ingest_job_sources (job_id, source_id) VALUES (?, ?)').run(s.jobId, id);
  return id;
}

export function sourcesOfJob(db: Db, jobId: number): SourceView[] {
  return (
    statement(db, `SELECT ${SOURCE_COLUMNS} FROM sources WHERE id IN (SELECT source_id FROM ingest_job_sources WHERE job_id = ?) ORDER BY path`).all(
      jobId,
    ) as SourceRow[]
  ).map(toSourceView);
}

export function markSourceWalked(db: Db, id: number, c: { size: number; files: number; symlinks: number; specials: number; errors: number }): void {
  statement(db, 'UPDATE sources SET walked = 1, size = ?, files = ?, symlinks = ?, specials = ?, errors = ? WHERE id = ?').run(
    c.size,
    c.files,
    c.symlinks,
    c.specials,
    c.errors,
    id,
  );
}
