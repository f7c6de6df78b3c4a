import { useCallback, useEffect, useRef, useState } from 'react';
import type { IngestJobView, IngestPhase, IngestProgress } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';

/** The last phase change of a job, kept as data so the announcement follows a language switch. */
export type PhaseAnnouncement = { readonly jobId: number; readonly exhibitNumber: string; readonly phase: IngestPhase };

// Progress events can arrive many times a second per job; the panel redraws at most this often.
const REDRAW_MS = 200;

function byNewest(a: IngestJobView, b: IngestJobView): number {
  return b.id - a.id;
}

/**
 * The ingest jobs of one case, live: `ingest.list` once, then progress and finish events.
 *
 * Calls and events travel on different channels (HTTP and server-sent events in browser mode),
 * so their order is not guaranteed: a short job can finish before the answer to `ingest.start`
 * arrives, and a resumed job keeps its id. Hence: a finish event always wins; the answer to a
 * start counts only if no finish of that job arrived meanwhile; a listing only fills gaps; a
 * progress event in an active phase means the job runs again. Events name only a job id, so a
 * job not seen yet (started elsewhere) is looked up once and kept if it belongs to this case.
 */
export function useIngestJobs(client: ApiClient, caseNumber: string, onFinished: () => void) {
  // The ref is the truth (event handlers read it without waiting for a render); state is its
  // sorted snapshot for rendering.
  const jobsRef = useRef(new Map<number, IngestJobView>());
  const finishes = useRef(new Map<number, number>());
  const elsewhere = useRef(new Set<number>());
  const lookingUp = useRef(new Set<number>());
  const [jobs, setJobs] = useState<readonly IngestJobView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState<PhaseAnnouncement | null>(null);
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  }, [onFinished]);

  const redrawTimer = useRef<number | null>(null);
  const publish = useCallback((now: boolean) => {
    const draw = () => {
      redrawTimer.current = null;
      setJobs([...jobsRef.current.values()].sort(byNewest));
    };
    if (now) {
      if (redrawTimer.current !== null) window.clearTimeout(redrawTimer.current);
      draw();
    } else if (redrawTimer.current === null) redrawTimer.current = window.setTimeout(draw, REDRAW_MS);
  }, []);

  const put = useCallback(
    (view: IngestJobView, redrawNow: boolean) => {
      const current = jobsRef.current.get(view.id);
      if (current && current.progress.phase !== view.progress.phase) {
        setAnnouncement({ jobId: view.id, exhibitNumber: view.exhibitNumber, phase: view.progress.phase });
      }
      jobsRef.current.set(view.id, view);
      publish(redrawNow);
    },
    [publish],
  );

  /** Fills a gap only: what events said about a job is newer than a listing or a lookup. */
  const fill = useCallback(
    (view: IngestJobView) => {
      if (!jobsRef.current.has(view.id)) put(view, true);
    },
    [put],
  );

  useEffect(() => {
    let live = true;
    jobsRef.current = new Map();
    finishes.current = new Map();
    elsewhere.current = new Set();
    lookingUp.current = new Set();
    setJobs([]);
    setError(null);
    setAnnouncement(null);

    const lookUp = (jobId: number) => {
      if (elsewhere.current.has(jobId) || lookingUp.current.has(jobId)) return;
      lookingUp.current.add(jobId);
      client.call('ingest.status', { jobId }).then(
        (view) => {
          if (!live) return;
          if (view.caseNumber === caseNumber) fill(view);
          else elsewhere.current.add(jobId);
        },
        () => elsewhere.current.add(jobId),
      );
    };

    const progress = (p: IngestProgress) => {
      const job = jobsRef.current.get(p.jobId);
      if (!job) return lookUp(p.jobId);
      const active = p.phase === 'walking' || p.phase === 'analysing';
      const rerun = active && job.state !== 'running';
      put({ ...job, progress: p, ...(rerun ? { state: 'running', finishedAt: null } : {}) }, rerun);
    };

    const offEvents = client.onEvent((event) => {
      if (!live) return;
      if (event.event === 'ingest.progress') progress(event.payload);
      else if (event.event === 'ingest.finished' && event.payload.caseNumber === caseNumber) {
        const id = event.payload.id;
        finishes.current.set(id, (finishes.current.get(id) ?? 0) + 1);
        put(event.payload, true);
        onFinishedRef.current();
      }
    });

    client.call('ingest.list', { caseNumber }).then(
      (list) => {
        if (!live) return;
        // Opening a case announces nothing: only changes seen while it is open are news.
        for (const view of list) if (!jobsRef.current.has(view.id)) jobsRef.current.set(view.id, view);
        publish(true);
      },
      (caught: unknown) => {
        if (live) setError(caught);
      },
    );

    return () => {
      live = false;
      offEvents();
      if (redrawTimer.current !== null) window.clearTimeout(redrawTimer.current);
      redrawTimer.current = null;
    };
  }, [client, caseNumber, put, fill, publish]);

  /** Starts (or resumes) an ingest and shows it at once. */
  const start = useCallback(
    async (exhibitNumber: string, paths: readonly string[]): Promise<IngestJobView> => {
      const finishedBefore = new Map(finishes.current);
      const view = await client.call('ingest.start', { caseNumber, exhibitNumber, paths: [...paths] });
      const finishedDuring = (finishes.current.get(view.id) ?? 0) > (finishedBefore.get(view.id) ?? 0);
      if (!finishedDuring) put(view, true);
      return view;
    },
    [client, caseNumber, put],
  );

  /** Asks a job to stop; the engine answers once the stop is recorded. */
  const stop = useCallback(
    async (jobId: number): Promise<void> => {
      put(await client.call('ingest.stop', { jobId }), true);
    },
    [client, put],
  );

  return { jobs, error, announcement, start, stop };
}
