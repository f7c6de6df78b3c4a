import { useTranslation } from 'react-i18next';
import type { HashSetImportView } from '../../../electron/api/contract';
import { currentLocale } from '../../i18n/setup';
import { formatBytes, formatCount, formatDuration } from '../../i18n/format';

type Props = { readonly view: HashSetImportView };

/**
 * An import that failed or was refused, in one line: what the engine said, and that nothing was
 * kept (a failed import is rolled back whole).
 */
export function ImportFailed({ error, testId }: { readonly error: string; readonly testId: string }) {
  const { t } = useTranslation();
  return (
    <p role="alert" className="alert alert-error" data-testid={testId}>
      {t('hashsets.failed', { error: error.replace(/[.\s]+$/, '') })}
    </p>
  );
}

function percent(view: HashSetImportView): number {
  if (view.state === 'done') return 100;
  return view.bytesTotal > 0 ? Math.floor((Math.min(view.bytesDone, view.bytesTotal) / view.bytesTotal) * 100) : 0;
}

/** A hash-set import: a progress bar and its figures while it runs, then what it kept or why it failed. */
export function ImportProgress({ view }: Props) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const count = (n: number) => formatCount(n, locale);
  const running = view.state === 'running';
  const labelId = `hashset-import-${view.importId}-label`;
  const shownMalformed = view.firstMalformed.length;

  return (
    <div className={`job job-${view.state === 'running' ? 'running' : 'done'} import-progress`} data-testid="hashset-import" data-state={view.state}>
      <div className="job-head">
        <span id={labelId} className="job-title">
          {t(running ? 'hashsets.progressTitle' : 'hashsets.resultTitle', { name: view.name })}
        </span>
        <span className={`badge badge-import-${view.state}`} data-testid="hashset-import-state">
          {t(`hashsets.state.${view.state}`)}
        </span>
      </div>

      {view.state !== 'failed' && (
        <progress
          aria-labelledby={labelId}
          aria-valuetext={t('ingest.percent', { percent: percent(view) })}
          value={view.state === 'done' ? 1 : Math.min(view.bytesDone, view.bytesTotal)}
          max={view.state === 'done' ? 1 : Math.max(1, view.bytesTotal)}
          data-testid="hashset-import-progress"
        />
      )}

      {view.state === 'failed' ? (
        <ImportFailed error={view.error ?? ''} testId="hashset-import-failed" />
      ) : (
        <dl className="job-figures">
          <div>
            <dt>{t('hashsets.bytes')}</dt>
            <dd data-testid="hashset-import-bytes">
              {t('ingest.ofTotal', { done: formatBytes(view.bytesDone, locale), total: formatBytes(view.bytesTotal, locale) })}
            </dd>
          </div>
          <div>
            <dt>{t('hashsets.entriesRead')}</dt>
            <dd data-testid="hashset-import-read">{count(view.entriesRead)}</dd>
          </div>
          {view.hashset && (
            <div>
              <dt>{t('hashsets.entriesKept')}</dt>
              <dd data-testid="hashset-import-kept">{count(view.hashset.entries)}</dd>
            </div>
          )}
          <div>
            <dt>{t('hashsets.malformed')}</dt>
            <dd className={view.malformed > 0 ? 'has-errors' : undefined} data-testid="hashset-import-malformed">
              {count(view.malformed)}
            </dd>
          </div>
          <div>
            <dt>{t('hashsets.elapsed')}</dt>
            <dd>{formatDuration(view.elapsedMs / 1000, locale)}</dd>
          </div>
        </dl>
      )}

      {view.state === 'done' && (
        <p className="alert alert-ok" role="status" data-testid="hashset-import-done">
          {t('hashsets.doneNote', { name: view.name })}
        </p>
      )}

      {shownMalformed > 0 && (
        <div className="malformed" data-testid="hashset-import-malformed-lines">
          <h3>{t('hashsets.malformedTitle')}</h3>
          <ul>
            {view.firstMalformed.map((m) => (
              <li key={`${m.line}-${m.reason}`} className="mono">
                {t('hashsets.malformedLine', { line: formatCount(m.line, locale), reason: m.reason })}
              </li>
            ))}
          </ul>
          {view.malformed > shownMalformed && <p className="muted">{t('hashsets.malformedMore', { count: view.malformed - shownMalformed })}</p>}
        </div>
      )}
    </div>
  );
}
