import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { ValidationProblem, newPassphraseProblem } from '../../components/validation';

type Props = { readonly client: ApiClient; readonly users: readonly UserView[] };

/** The only way back in for someone who forgot their passphrase: it cannot be recovered. */
export function ResetPassphraseForm({ client, users }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useFormAction();
  const candidates = users.filter((user) => !user.disabled);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = (name === '' ? new ValidationProblem('validation.required') : null) ?? newPassphraseProblem(passphrase, confirm);
    if (problem) return form.fail(problem);
    void form.run(async () => {
      await client.call('users.resetPassphrase', { name, passphrase });
      setPassphrase('');
      setConfirm('');
      return { key: 'users.resetOk', values: { name } };
    });
  };

  return (
    <section className="card" aria-labelledby="user-reset-title">
      <h2 id="user-reset-title">{t('users.resetTitle')}</h2>
      <form onSubmit={submit} noValidate data-testid="user-reset-form">
        <Field id="user-reset-name" label={t('users.resetUser')}>
          <select id="user-reset-name" data-testid="user-reset-name" value={name} onChange={(event) => setName(event.target.value)}>
            <option value="">—</option>
            {candidates.map((user) => (
              <option key={user.name} value={user.name}>
                {user.name} ({t(`roles.${user.role}`)})
              </option>
            ))}
          </select>
        </Field>
        <NewPassphraseFields
          idPrefix="user-reset"
          passphraseLabel={t('users.resetPassphrase')}
          confirmLabel={t('users.resetConfirm')}
          passphrase={passphrase}
          confirm={confirm}
          onPassphrase={setPassphrase}
          onConfirm={setConfirm}
        />
        <ErrorAlert error={form.error} testId="user-reset-error" />
        <Notice notice={form.notice} testId="user-reset-notice" />
        <button type="submit" className="primary" disabled={form.busy} data-testid="user-reset-submit">
          {form.busy ? t('users.working') : t('users.reset')}
        </button>
      </form>
    </section>
  );
}
