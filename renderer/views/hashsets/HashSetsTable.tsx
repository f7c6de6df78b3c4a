import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HashSetView } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { DateTime } from '../../components/DateTime';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { isCaseScheme } from '../../i18n/categories';
import { currentLocale } from '../../i18n/setup';
import { formatCount } from '../../i18n/format';
import { isFormat } from './hashset-options';

// Enough of the file's SHA-256 to compare with a listing; the full value is in the title.
const SHORT_SHA = 12;

type Props = {
  readonly client: ApiClient;
  readonly sets: readonly HashSetView[];
  /** Supervisors and administrators; the engine refuses anyone else. */
  readonly canRemove: boolean;
  readonly onChanged: () => void;
};

export function HashSetsTable({ client, sets, canRemove, onChanged }: Props) {
  const { t } = useTranslation();
  const locale = currentLocale();
  // Removing changes item statuses in every case, so it takes a second, explicit click.
  const [confirming, setConfirming] = useState<string | null>(null);
  const action = useFormAction();
  const columns = canRemove ? 8 : 7;

  const remove = (name: string) =>
    void action.run(async () => {
      await client.call('hashsets.remove', { name });
      setConfirming(null);
      onChanged();
      return { key: 'hashsets.removedOk', values: { name } };
    });

  return (
    <>
      <div className="table-scroll">
        <table className="hashsets-table" data-testid="hashsets-table">
          <thead>
            <tr>
              <th scope="col">{t('hashsets.name')}</th>
              <th scope="col">{t('hashsets.kind')}</th>
              <th scope="col">{t('hashsets.format')}</th>
              <th scope="col">{t('hashsets.scheme')}</th>
              <th scope="col" className="numeric">
                {t('hashsets.entries')}
              </th>
              <th scope="col" className="numeric">
                {t('hashsets.malformed')}
              </th>
              <th scope="col">{t('hashsets.source')}</th>
              {canRemove && (
                <th scope="col">
                  <span className="visually-hidden">{t('hashsets.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {sets.map((set) => (
              <Fragment key={set.id}>
                <tr data-testid="hashset-row" data-hashset-name={set.name} className={confirming === set.name ? 'row-confirming' : undefined}>
                  <td className="hashset-name">{set.name}</td>
                  <td>
                    <span className={`badge badge-kind-${set.kind}`} data-testid="hashset-kind">
                      {t(`hashsets.kinds.${set.kind}`)}
                    </span>
                  </td>
                  <td className="nowrap" data-testid="hashset-format" title={isFormat(set.format) ? t(`hashsets.formats.${set.format}`) : undefined}>
                    {isFormat(set.format) ? t(`hashsets.formatsShort.${set.format}`) : set.format}
                    {set.version !== null && ` ${set.version}`}
                  </td>
                  <td className="hashset-scheme">
                    {isCaseScheme(set.scheme) ? t(`schemes.${set.scheme}`) : <span className="muted">{t('hashsets.schemeNone')}</span>}
                  </td>
                  <td className="numeric" data-testid="hashset-entries">
                    {formatCount(set.entries, locale)}
                  </td>
                  <td className={set.malformed > 0 ? 'numeric has-errors' : 'numeric'} data-testid="hashset-malformed">
                    {formatCount(set.malformed, locale)}
                  </td>
                  <td className="stacked hashset-source">
                    <span className="mono source-file" title={set.sourceFile}>
                      {set.sourceFile}
                    </span>
                    <span className="mono muted nowrap" title={set.sourceSha256} data-testid="hashset-sha256">
                      {t('hashsets.sourceSha', { short: set.sourceSha256.slice(0, SHORT_SHA) })}
                    </span>
                    <span className="muted nowrap small">
                      {set.importedBy} · <DateTime iso={set.importedAt} />
                    </span>
                  </td>
                  {canRemove && (
                    <td className="actions">
                      <button
                        type="button"
                        className="danger-quiet"
                        disabled={confirming === set.name}
                        onClick={() => setConfirming(set.name)}
                        aria-label={t('hashsets.removeFor', { name: set.name })}
                        data-testid="hashset-remove"
                      >
                        {t('hashsets.remove')}
                      </button>
                    </td>
                  )}
                </tr>
                {confirming === set.name && (
                  // Under its set, the width of the table: the consequence is worth reading in full.
                  <tr className="confirm-row">
                    <td colSpan={columns}>
                      <div className="confirm-panel" role="group" aria-label={t('hashsets.removeFor', { name: set.name })} data-testid="hashset-remove-confirmation">
                        <p>{t('hashsets.confirmRemove', { name: set.name })}</p>
                        <div className="button-row">
                          <button type="button" className="danger" disabled={action.busy} onClick={() => remove(set.name)} data-testid="hashset-remove-confirm">
                            {t('hashsets.confirmYes')}
                          </button>
                          <button type="button" onClick={() => setConfirming(null)} data-testid="hashset-remove-cancel">
                            {t('hashsets.cancel')}
                          </button>
                        </div>
                      </div>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorAlert error={action.error} testId="hashset-remove-error" />
      <Notice notice={action.notice} testId="hashset-remove-notice" />
    </>
  );
}
