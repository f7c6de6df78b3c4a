import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView, Scheme } from '../../electron/api/contract';
import type { ApiClient } from '../api/client';
import { DateTime } from '../components/DateTime';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { Notice } from '../components/Notice';
import { useFormAction } from '../components/use-form-action';
import { ValidationProblem } from '../components/validation';
import { currentLocale } from '../i18n/setup';
import { formatCount } from '../i18n/format';

const SCHEMES: readonly Scheme[] = ['vics-us', 'caid-uk'];

type Props = {
  readonly client: ApiClient;
  /** Opens one case (its exhibits, intake and items). */
  readonly onOpen: (caseNumber: string) => void;
};

export function CasesView({ client, onOpen }: Props) {
  const { t } = useTranslation();
  const [cases, setCases] = useState<readonly CaseView[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [number, setNumber] = useState('');
  const [title, setTitle] = useState('');
  const [scheme, setScheme] = useState<Scheme>('vics-us');
  const form = useFormAction();

  const load = useCallback(() => {
    client.call('cases.list', {}).then(
      (list) => {
        setCases(list);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error),
    );
  }, [client]);
  useEffect(load, [load]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (number.trim() === '' || title.trim() === '') return form.fail(new ValidationProblem('validation.required'));
    void form.run(async () => {
      const created = await client.call('cases.create', { number: number.trim(), title: title.trim(), scheme });
      setNumber('');
      setTitle('');
      load();
      return { key: 'cases.createdOk', values: { number: created.number } };
    });
  };

  return (
    <div className="stack" data-testid="cases-view">
      <section className="card" aria-labelledby="cases-title">
        <h1 id="cases-title">{t('cases.title')}</h1>
        <ErrorAlert error={loadError} testId="cases-load-error" />
        {cases === null && !loadError && <p className="muted">{t('app.loading')}</p>}
        {cases?.length === 0 && (
          <p className="muted" data-testid="cases-empty">
            {t('cases.empty')}
          </p>
        )}
        {cases && cases.length > 0 && (
          <div className="table-scroll">
            <table data-testid="cases-table">
              <thead>
                <tr>
                  <th scope="col">{t('cases.number')}</th>
                  <th scope="col">{t('cases.caseTitle')}</th>
                  <th scope="col">{t('cases.scheme')}</th>
                  <th scope="col" className="numeric">
                    {t('cases.exhibits')}
                  </th>
                  <th scope="col">{t('cases.createdBy')}</th>
                  <th scope="col">{t('cases.createdAt')}</th>
                </tr>
              </thead>
              <tbody>
                {cases.map((item) => (
                  // The whole row opens the case for the mouse; the number is the button for the keyboard,
                  // and its click (Enter, Space) bubbles to the row's handler.
                  <tr key={item.id} className="row-link" onClick={() => onOpen(item.number)} data-testid="case-row" data-case-number={item.number}>
                    <td className="mono">
                      <button type="button" className="link mono" data-testid="case-open">
                        {item.number}
                      </button>
                    </td>
                    <td className="text-wide">{item.title}</td>
                    <td>{t(`schemes.${item.scheme}`)}</td>
                    <td className="numeric">{formatCount(item.exhibits, currentLocale())}</td>
                    <td>{item.createdBy}</td>
                    <td className="nowrap">
                      <DateTime iso={item.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="case-create-title">
        <h2 id="case-create-title">{t('cases.createTitle')}</h2>
        <form onSubmit={submit} noValidate className="form-grid" data-testid="case-create-form">
          <Field id="case-number" label={t('cases.number')}>
            <input
              id="case-number"
              data-testid="case-number"
              maxLength={64}
              spellCheck={false}
              value={number}
              onChange={(event) => setNumber(event.target.value)}
            />
          </Field>
          <Field id="case-title" label={t('cases.caseTitle')}>
            <input
              id="case-title"
              data-testid="case-title"
              maxLength={300}
              value={title}
              onChange={(event) => setTitle(event.target.value)}
            />
          </Field>
          <Field id="case-scheme" label={t('cases.scheme')}>
            <select
              id="case-scheme"
              data-testid="case-scheme"
              value={scheme}
              onChange={(event) => setScheme(event.target.value as Scheme)}
            >
              {SCHEMES.map((code) => (
                <option key={code} value={code}>
                  {t(`schemes.${code}`)}
                </option>
              ))}
            </select>
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={form.busy} data-testid="case-create">
              {form.busy ? t('cases.working') : t('cases.create')}
            </button>
          </div>
        </form>
        <ErrorAlert error={form.error} testId="case-create-error" />
        <Notice notice={form.notice} testId="case-create-notice" />
      </section>
    </div>
  );
}
