import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HashSetView, Role } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { HashSetImportForm } from './HashSetImportForm';
import { HashSetsTable } from './HashSetsTable';
import { ImportProgress } from './ImportProgress';
import { useHashSetImport } from './use-hashset-import';

type Props = { readonly client: ApiClient; readonly role: Role };

/** The active hash sets, and importing one: live progress, then what was kept and what was not. */
export function HashSetsView({ client, role }: Props) {
  const { t } = useTranslation();
  const [sets, setSets] = useState<readonly HashSetView[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = useCallback(() => {
    client.call('hashsets.list', {}).then(
      (list) => {
        setSets(list);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error),
    );
  }, [client]);
  useEffect(load, [load]);
  const importer = useHashSetImport(client, load);

  return (
    <div className="stack" data-testid="hashsets-view">
      <section className="card" aria-labelledby="hashsets-title">
        <h1 id="hashsets-title">{t('hashsets.title')}</h1>
        <p className="lead">{t('hashsets.intro')}</p>
        <ErrorAlert error={loadError} testId="hashsets-load-error" />
        {sets === null && !loadError && <p className="muted">{t('app.loading')}</p>}
        {sets?.length === 0 && (
          <p className="muted" data-testid="hashsets-empty">
            {t('hashsets.empty')}
          </p>
        )}
        {sets && sets.length > 0 && <HashSetsTable client={client} sets={sets} canRemove={role !== 'investigator'} onChanged={load} />}
      </section>

      <section className="card" aria-labelledby="hashset-import-title">
        <h2 id="hashset-import-title">{t('hashsets.importTitle')}</h2>
        <HashSetImportForm pickPaths={client.pickPaths} running={importer.running} onStart={importer.start} />
        {importer.shown && <ImportProgress view={importer.shown} />}
      </section>
    </div>
  );
}
