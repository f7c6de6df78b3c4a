import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { ValidationProblem, newPassphraseProblem } from '../../components/validation';

export function ChangePassphraseForm({ client }: { readonly client: ApiClient }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useFormAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = (current === '' ? new ValidationProblem('validation.required') : null) ?? newPassphraseProblem(next, confirm);
    if (problem) return form.fail(problem);
    void form.run(async () => {
      try {
        await client.call('users.changePassphrase', { current, next });
        return { key: 'settings.changedOk' };
      } finally {
        // Passphrases do not stay in the page longer than the attempt.
        setCurrent('');
        setNext('');
        setConfirm('');
      }
    });
  };

  return (
    <section className="card" aria-labelledby="passphrase-title">
      <h2 id="passphrase-title">{t('settings.passphraseTitle')}</h2>
      <form onSubmit={submit} noValidate data-testid="passphrase-form">
        <Field id="passphrase-current" label={t('settings.current')}>
          <input
            id="passphrase-current"
            data-testid="passphrase-current"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(event) => setCurrent(event.target.value)}
          />
        </Field>
        <NewPassphraseFields
          idPrefix="passphrase-new"
          passphraseLabel={t('settings.next')}
          confirmLabel={t('settings.confirm')}
          passphrase={next}
          confirm={confirm}
          onPassphrase={setNext}
          onConfirm={setConfirm}
        />
        <ErrorAlert error={form.error} testId="passphrase-error" />
        <Notice notice={form.notice} testId="passphrase-notice" />
        <button type="submit" className="primary" disabled={form.busy} data-testid="passphrase-submit">
          {form.busy ? t('settings.working') : t('settings.change')}
        </button>
      </form>
    </section>
  );
}
