import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { DateTime } from '../../components/DateTime';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';

type Props = {
  readonly client: ApiClient;
  readonly users: readonly UserView[];
  readonly self: string;
  readonly onChanged: () => void;
};

export function UsersTable({ client, users, self, onChanged }: Props) {
  const { t } = useTranslation();
  // Disabling is irreversible from the UI, so it takes a second, explicit click on the same row.
  const [confirming, setConfirming] = useState<string | null>(null);
  const action = useFormAction();

  const disable = (name: string) =>
    void action.run(async () => {
      await client.call('users.disable', { name });
      setConfirming(null);
      onChanged();
      return { key: 'users.disabledOk', values: { name } };
    });

  return (
    <>
      <div className="table-scroll">
        <table data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.status')}</th>
              <th scope="col">{t('users.createdBy')}</th>
              <th scope="col">{t('users.createdAt')}</th>
              <th scope="col">{t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.name} data-testid={`user-row-${user.name}`}>
                <td className="nowrap">
                  {user.name} {user.name === self && <span className="muted">{t('users.you')}</span>}
                </td>
                <td>{t(`roles.${user.role}`)}</td>
                <td>
                  <span className={user.disabled ? 'badge badge-off' : 'badge badge-on'}>
                    {user.disabled ? t('users.disabled') : t('users.active')}
                  </span>
                </td>
                <td>{user.createdBy}</td>
                <td className="nowrap">
                  <DateTime iso={user.createdAt} />
                </td>
                <td className="actions">
                  {!user.disabled && user.name !== self && confirming !== user.name && (
                    <button type="button" className="danger-quiet" onClick={() => setConfirming(user.name)} data-testid={`user-disable-${user.name}`}>
                      {t('users.disable')}
                    </button>
                  )}
                  {confirming === user.name && (
                    <span className="confirm" role="group" aria-label={t('users.confirmDisable', { name: user.name })}>
                      <span>{t('users.confirmDisable', { name: user.name })}</span>
                      <button type="button" className="danger" disabled={action.busy} onClick={() => disable(user.name)} data-testid={`user-disable-confirm-${user.name}`}>
                        {t('users.confirmYes')}
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        {t('users.cancel')}
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorAlert error={action.error} testId="user-disable-error" />
      <Notice notice={action.notice} testId="user-disable-notice" />
    </>
  );
}
