import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusView } from '../../electron/api/contract';
import type { ApiClient } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { useFormAction } from '../components/use-form-action';
import { ValidationProblem } from '../components/validation';

type Props = {
  readonly client: ApiClient;
  readonly onStatus: (status: StatusView) => void;
  /** Set when this window locked itself for inactivity, so the user knows why they are here. */
  readonly lockedForIdle: boolean;
};

export function UnlockView({ client, onStatus, lockedForIdle }: Props) {
  const { t } = useTranslation();
  const [user, setUser] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const passphraseInput = useRef<HTMLInputElement>(null);
  const form = useFormAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = user.trim();
    if (name === '' || passphrase === '') return form.fail(new ValidationProblem('validation.required'));
    void form.run(async () => {
      try {
        onStatus(await client.call('session.unlock', { user: name, passphrase }));
        return null;
      } catch (error) {
        // Keep the login name, clear the passphrase that failed and put the cursor back there.
        setPassphrase('');
        passphraseInput.current?.focus();
        throw error;
      }
    });
  };

  return (
    <section className="card card-narrow" aria-labelledby="unlock-title" data-testid="unlock-view">
      <h1 id="unlock-title">{t('unlock.title')}</h1>
      <p className="lead">{t('unlock.intro')}</p>
      {lockedForIdle && (
        <p className="alert alert-info" data-testid="unlock-idle-notice">
          {t('unlock.idleNotice')}
        </p>
      )}
      <form onSubmit={submit} noValidate data-testid="unlock-form">
        <Field id="unlock-user" label={t('unlock.user')}>
          <input
            id="unlock-user"
            data-testid="unlock-user"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={user}
            onChange={(event) => setUser(event.target.value)}
          />
        </Field>
        <Field id="unlock-passphrase" label={t('unlock.passphrase')}>
          <input
            id="unlock-passphrase"
            data-testid="unlock-passphrase"
            ref={passphraseInput}
            type="password"
            autoComplete="current-password"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
          />
        </Field>
        <ErrorAlert error={form.error} testId="unlock-error" />
        <button type="submit" className="primary" disabled={form.busy} data-testid="unlock-submit">
          {form.busy ? t('unlock.working') : t('unlock.submit')}
        </button>
      </form>
    </section>
  );
}
