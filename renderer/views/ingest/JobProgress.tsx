import { useTranslation } from 'react-i18next';
import type { IngestJobView, IngestProgress } from '../../../electron/api/contract';
import { currentLocale } from '../../i18n/setup';
import { formatBytes, formatCount, formatDuration, formatMegabytesPerSecond, formatRate } from '../../i18n/format';

type Props = {
  readonly job: IngestJobView;
  readonly stopping: boolean;
  readonly onStop: () => void;
};

/** value/max for <progress>; none while walking, where the total is still growing. */
function bar(p: IngestProgress): { value: number; max: number } | null {
  if (p.phase === 'walking') return null;
  if (p.phase === 'done') return { value: 1, max: 1 };
  if (p.bytesTotal > 0) return { value: Math.min(p.bytesDone, p.bytesTotal), max: p.bytesTotal };
  // Nothing but empty files: count files instead of bytes.
  return p.filesTotal > 0 ? { value: p.filesDone, max: p.filesTotal } : { value: 0, max: 1 };
}

function percent(p: IngestProgress): number {
  const b = bar(p);
  return b ? Math.floor((b.value / b.max) * 100) : 0;
}

/** One ingest job: a live progress bar with its figures, or a summary line once it has ended. */
export function JobProgress({ job, stopping, onStop }: Props) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const p = job.progress;
  const running = job.state === 'running';
  const count = (n: number) => formatCount(n, locale);
  const bytes = (n: number) => formatBytes(n, locale);
  const shown = bar(p);
  const labelId = `job-${job.id}-label`;

  return (
    <li className={`job job-${job.state}`} data-testid="ingest-job" data-job-id={job.id} data-state={job.state} data-phase={p.phase}>
      <div className="job-head">
        <span id={labelId} className="job-title">
          {t('ingest.jobTitle', { id: job.id, exhibit: job.exhibitNumber })}
        </span>
        <span className={`badge badge-phase-${p.phase}`} data-testid="ingest-phase">
          {t(`ingest.phase.${p.phase}`)}
        </span>
        {running && (
          <button type="button" className="danger-quiet job-stop" disabled={stopping} onClick={onStop} data-testid="ingest-stop">
            {stopping ? t('ingest.stopping') : t('ingest.stop')}
          </button>
        )}
      </div>

      {running ? (
        <>
          <progress
            aria-labelledby={labelId}
            aria-valuetext={shown ? t('ingest.percent', { percent: percent(p) }) : t('ingest.phase.walking')}
            {...(shown ?? {})}
            data-testid="ingest-progress"
          />
          <dl className="job-figures">
            <div>
              <dt>{t('ingest.files')}</dt>
              <dd data-testid="ingest-files">{t('ingest.ofTotal', { done: count(p.filesDone), total: count(p.filesTotal) })}</dd>
            </div>
            <div>
              <dt>{t('ingest.bytes')}</dt>
              <dd data-testid="ingest-bytes">{t('ingest.ofTotal', { done: bytes(p.bytesDone), total: bytes(p.bytesTotal) })}</dd>
            </div>
            <div>
              <dt>{t('ingest.speed')}</dt>
              <dd className="job-speed">
                <span>{t('ingest.filesPerSecond', { rate: formatRate(p.filesPerSecond, locale) })}</span>
                <span>{formatMegabytesPerSecond(p.bytesPerSecond, locale)}</span>
              </dd>
            </div>
            <div>
              <dt>{t('ingest.eta')}</dt>
              <dd>{p.etaSeconds === null ? t('ingest.etaUnknown') : formatDuration(p.etaSeconds, locale)}</dd>
            </div>
            <div>
              <dt>{t('ingest.errors')}</dt>
              <dd className={p.errors > 0 ? 'has-errors' : undefined} data-testid="ingest-errors">
                {count(p.errors)}
              </dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="job-summary" data-testid="ingest-summary">
          {t(job.state === 'done' ? 'ingest.summaryDone' : 'ingest.summaryStopped', {
            files: count(p.filesDone),
            total: count(p.filesTotal),
            bytes: bytes(p.bytesDone),
            errors: count(p.errors),
            duration: formatDuration(p.elapsedMs / 1000, locale),
          })}
        </p>
      )}
      <p className="job-sources mono" title={job.sources.map((s) => s.path).join('\n')}>
        {job.sources.map((s) => s.path).join(' · ')}
      </p>
    </li>
  );
}
