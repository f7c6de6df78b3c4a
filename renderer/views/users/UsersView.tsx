import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { AddUserForm } from './AddUserForm';
import { ResetPassphraseForm } from './ResetPassphraseForm';
import { UsersTable } from './UsersTable';

type Props = { readonly client: ApiClient; readonly self: string };

/** Admin only: the shell does not offer this view to other roles (and the engine refuses them anyway). */
export function UsersView({ client, self }: Props) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<readonly UserView[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = useCallback(() => {
    client.call('users.list', {}).then(
      (list) => {
        setUsers(list);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error),
    );
  }, [client]);
  useEffect(load, [load]);

  return (
    <div className="stack" data-testid="users-view">
      <section className="card" aria-labelledby="users-title">
        <h1 id="users-title">{t('users.title')}</h1>
        <ErrorAlert error={loadError} testId="users-load-error" />
        {users === null && !loadError && <p className="muted">{t('app.loading')}</p>}
        {users && <UsersTable client={client} users={users} self={self} onChanged={load} />}
      </section>
      <div className="columns">
        <AddUserForm client={client} onAdded={load} />
        <ResetPassphraseForm client={client} users={users ?? []} />
      </div>
    </div>
  );
}
