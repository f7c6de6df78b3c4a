import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView, Scheme, TriageView } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { categoryCodes, categoryLabel } from '../../i18n/categories';
import { currentLocale } from '../../i18n/setup';
import { formatCount } from '../../i18n/format';
import { methodName } from '../items/match-explanation';
import { BlockhashThreshold } from './BlockhashThreshold';
import { PdqThreshold } from './PdqThreshold';

type Props = {
  readonly client: ApiClient;
  readonly caseNumber: string;
  /** Null until the case's record has loaded (scheme and thresholds come from it). */
  readonly record: CaseView | null;
  readonly canEditThreshold: boolean;
  /** Bumped when items may have changed (an ingest ran or finished, a rematch): the numbers load again. */
  readonly version: number;
  /** A rematch changed item statuses: the item list and detail load again. */
  readonly onRematched: () => void;
  readonly onRecord: (record: CaseView) => void;
};

type CategoryCount = TriageView['knownByCategory'][number];

/** Most severe first, as the scheme lists them; the ungraded last. */
function bySeverity(scheme: Scheme, rows: readonly CategoryCount[]): CategoryCount[] {
  const order = categoryCodes(scheme);
  const rank = (code: string | null) => (code === null ? Number.MAX_SAFE_INTEGER : order.indexOf(code) < 0 ? order.length : order.indexOf(code));
  return [...rows].sort((a, b) => rank(a.category) - rank(b.category));
}

/** What matching has settled in this case and what is left for reviewers; matching again. */
export function TriagePanel({ client, caseNumber, record, canEditThreshold, version, onRematched, onRecord }: Props) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const count = (n: number) => formatCount(n, locale);
  const [triage, setTriage] = useState<TriageView | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const rematch = useFormAction();

  useEffect(() => {
    let live = true;
    client.call('cases.triage', { caseNumber }).then(
      (view) => {
        if (!live) return;
        setTriage(view);
        setLoadError(null);
      },
      (error: unknown) => {
        if (live) setLoadError(error);
      },
    );
    return () => {
      live = false;
    };
  }, [client, caseNumber, version]);

  const matchAgain = () =>
    void rematch.run(async () => {
      const report = await client.call('cases.rematch', { caseNumber });
      onRematched();
      return {
        key: 'triage.rematchDone',
        values: { items: count(report.items), known: count(report.known), ignorable: count(report.ignorable), changed: count(report.changed) },
      };
    });

  const figures = triage && [
    { key: 'items', label: t('triage.items'), value: triage.items },
    { key: 'known', label: t('items.status.known'), value: triage.known },
    { key: 'ignorable', label: t('items.status.ignorable'), value: triage.ignorable },
    { key: 'unreviewed', label: t('items.status.unreviewed'), value: triage.unreviewed },
    { key: 'reviewed', label: t('items.status.reviewed'), value: triage.reviewed },
    { key: 'errors', label: t('triage.errors'), value: triage.errors },
  ];

  return (
    <section className="card" aria-labelledby="triage-title" data-testid="triage">
      <h2 id="triage-title">{t('triage.title')}</h2>
      <ErrorAlert error={loadError} testId="triage-error" />
      {triage === null && !loadError && <p className="muted">{t('app.loading')}</p>}
      {figures && (
        <dl className="triage-figures">
          {figures.map((f) => (
            <div key={f.key} className={`triage-figure triage-${f.key}`}>
              <dt>{f.label}</dt>
              <dd data-testid={`triage-${f.key}`}>{count(f.value)}</dd>
            </div>
          ))}
        </dl>
      )}

      {triage && record && (
        <div className="triage-tables">
          <CountTable
            id="category"
            title={t('triage.byCategory')}
            empty={t('triage.noKnown')}
            column={t('triage.category')}
            count={t('triage.count')}
            rows={bySeverity(record.scheme, triage.knownByCategory).map((row) => ({
              key: row.category ?? '',
              label:
                row.category === null ? (
                  <span className="needs-grading">{t('triage.noCategory')}</span>
                ) : (
                  (categoryLabel(record.scheme, row.category, locale) ?? row.category)
                ),
              items: count(row.items),
            }))}
          />
          <CountTable
            id="method"
            title={t('triage.byMethod')}
            empty={t('triage.noMatches')}
            column={t('triage.method')}
            count={t('triage.count')}
            rows={triage.byMethod.map((row) => ({ key: row.method, label: methodName(row.method), items: count(row.items) }))}
          />
        </div>
      )}

      <div className="triage-actions">
        <div className="triage-block triage-rematch">
          <h3>{t('triage.rematch')}</h3>
          <p className="field-hint">{t('triage.rematchHint')}</p>
          <div className="button-row">
            <button type="button" className="primary" disabled={rematch.busy} onClick={matchAgain} data-testid="triage-rematch">
              {rematch.busy ? t('triage.rematching') : t('triage.rematch')}
            </button>
          </div>
          <ErrorAlert error={rematch.error} testId="triage-rematch-error" />
          <Notice notice={rematch.notice} testId="triage-rematch-notice" />
        </div>
        {record && <PdqThreshold client={client} record={record} canEdit={canEditThreshold} onSaved={onRecord} />}
        {record && <BlockhashThreshold client={client} record={record} canEdit={canEditThreshold} onSaved={onRecord} />}
      </div>
    </section>
  );
}

type CountRow = { readonly key: string; readonly label: ReactNode; readonly items: string };

/** A two-column table of counts (by category, by method), or a line saying there is nothing. */
function CountTable(props: { id: 'category' | 'method'; title: string; empty: string; column: string; count: string; rows: readonly CountRow[] }) {
  const { id, title, empty, column, count, rows } = props;
  return (
    <div>
      <h3 id={`triage-${id}-title`}>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="compact" aria-labelledby={`triage-${id}-title`} data-testid={`triage-by-${id}`}>
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col" className="numeric">
                {count}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} {...{ [`data-${id}`]: row.key }}>
                <td>{row.label}</td>
                <td className="numeric">{row.items}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
