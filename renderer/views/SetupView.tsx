import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusView } from '../../electron/api/contract';
import type { ApiClient } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { NewPassphraseFields } from '../components/NewPassphraseFields';
import { useFormAction } from '../components/use-form-action';
import { loginNameProblem, newPassphraseProblem } from '../components/validation';

type Props = { readonly client: ApiClient; readonly onStatus: (status: StatusView) => void };

export function SetupView({ client, onStatus }: Props) {
  const { t } = useTranslation();
  const [admin, setAdmin] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useFormAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = admin.trim();
    const problem = loginNameProblem(name) ?? newPassphraseProblem(passphrase, confirm);
    if (problem) return form.fail(problem);
    void form.run(async () => {
      onStatus(await client.call('store.init', { admin: name, passphrase }));
      return null;
    });
  };

  return (
    <section className="card card-narrow" aria-labelledby="setup-title" data-testid="setup-view">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <p className="lead">{t('setup.intro')}</p>
      <form onSubmit={submit} noValidate data-testid="setup-form">
        <Field id="setup-admin" label={t('setup.admin')} hint={t('validation.loginName')}>
          <input
            id="setup-admin"
            data-testid="setup-admin"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby="setup-admin-hint"
            value={admin}
            onChange={(event) => setAdmin(event.target.value)}
          />
        </Field>
        <NewPassphraseFields
          idPrefix="setup"
          passphraseLabel={t('setup.passphrase')}
          confirmLabel={t('setup.confirm')}
          passphrase={passphrase}
          confirm={confirm}
          onPassphrase={setPassphrase}
          onConfirm={setConfirm}
        />
        <p className="warning" data-testid="setup-warning">
          {t('setup.warning')}
        </p>
        <ErrorAlert error={form.error} testId="setup-error" />
        <button type="submit" className="primary" disabled={form.busy} data-testid="setup-submit">
          {form.busy ? t('setup.working') : t('setup.submit')}
        </button>
      </form>
    </section>
  );
}
