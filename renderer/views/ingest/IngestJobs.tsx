import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IngestJobView } from '../../../electron/api/contract';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobProgress } from './JobProgress';
import type { PhaseAnnouncement } from './use-ingest-jobs';

// Finished jobs stay visible for reference, but a case ingested many times keeps only the latest.
const RECENT_FINISHED = 3;

type Props = {
  readonly jobs: readonly IngestJobView[];
  readonly error: unknown;
  readonly announcement: PhaseAnnouncement | null;
  /** Resolves once the engine has recorded the stop. */
  readonly onStop: (jobId: number) => Promise<void>;
};

/** Running and recent ingest jobs of a case. */
export function IngestJobs({ jobs, error, announcement, onStop }: Props) {
  const { t } = useTranslation();
  const [stopping, setStopping] = useState<ReadonlySet<number>>(new Set());
  const [stopError, setStopError] = useState<unknown>(null);

  const running = jobs.filter((job) => job.state === 'running');
  const finished = jobs.filter((job) => job.state !== 'running').slice(0, RECENT_FINISHED);
  const shown = [...running, ...finished];

  const stop = (jobId: number) => {
    setStopError(null);
    setStopping((current) => new Set(current).add(jobId));
    onStop(jobId)
      .catch(setStopError)
      .finally(() =>
        setStopping((current) => {
          const next = new Set(current);
          next.delete(jobId);
          return next;
        }),
      );
  };

  return (
    <section className="card" aria-labelledby="ingest-jobs-title" data-testid="ingest-jobs">
      <h2 id="ingest-jobs-title">{t('ingest.jobsTitle')}</h2>
      {/* Phase changes only: the numbers change too often to be read out. */}
      <p className="visually-hidden" aria-live="polite" data-testid="ingest-announcement">
        {announcement && t('ingest.announce', { id: announcement.jobId, exhibit: announcement.exhibitNumber, phase: t(`ingest.phase.${announcement.phase}`) })}
      </p>
      <ErrorAlert error={error} testId="ingest-jobs-error" />
      <ErrorAlert error={stopError} testId="ingest-stop-error" />
      {shown.length === 0 ? (
        <p className="muted" data-testid="ingest-jobs-empty">
          {t('ingest.noJobs')}
        </p>
      ) : (
        <ul className="jobs">
          {shown.map((job) => (
            <JobProgress key={job.id} job={job} stopping={stopping.has(job.id)} onStop={() => stop(job.id)} />
          ))}
        </ul>
      )}
      {jobs.length > shown.length && (
        <p className="muted job-more">{t('ingest.olderJobs', { count: jobs.length - shown.length })}</p>
      )}
    </section>
  );
}
