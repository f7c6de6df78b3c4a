import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { loginNameProblem, newPassphraseProblem } from '../../components/validation';

const ROLES: readonly Role[] = ['investigator', 'supervisor', 'admin'];

type Props = { readonly client: ApiClient; readonly onAdded: () => void };

export function AddUserForm({ client, onAdded }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('investigator');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useFormAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const login = name.trim();
    const problem = loginNameProblem(login) ?? newPassphraseProblem(passphrase, confirm);
    if (problem) return form.fail(problem);
    void form.run(async () => {
      const added = await client.call('users.add', { name: login, role, passphrase });
      setName('');
      setPassphrase('');
      setConfirm('');
      onAdded();
      return { key: 'users.addedOk', values: { name: added.name } };
    });
  };

  return (
    <section className="card" aria-labelledby="user-add-title">
      <h2 id="user-add-title">{t('users.addTitle')}</h2>
      <form onSubmit={submit} noValidate data-testid="user-add-form">
        <Field id="user-add-name" label={t('users.name')} hint={t('validation.loginName')}>
          <input
            id="user-add-name"
            data-testid="user-add-name"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby="user-add-name-hint"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
        <Field id="user-add-role" label={t('users.role')}>
          <select id="user-add-role" data-testid="user-add-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((code) => (
              <option key={code} value={code}>
                {t(`roles.${code}`)}
              </option>
            ))}
          </select>
        </Field>
        <NewPassphraseFields
          idPrefix="user-add"
          passphraseLabel={t('users.passphrase')}
          confirmLabel={t('users.confirm')}
          passphrase={passphrase}
          confirm={confirm}
          onPassphrase={setPassphrase}
          onConfirm={setConfirm}
        />
        <ErrorAlert error={form.error} testId="user-add-error" />
        <Notice notice={form.notice} testId="user-add-notice" />
        <button type="submit" className="primary" disabled={form.busy} data-testid="user-add-submit">
          {form.busy ? t('users.working') : t('users.add')}
        </button>
      </form>
    </section>
  );
}
