import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { ValidationProblem } from '../../components/validation';

const MAX_MINUTES = 240;

type Props = {
  readonly client: ApiClient;
  /** The engine lets only supervisors and admins change settings. */
  readonly canEdit: boolean;
  readonly settings: Settings | null;
  readonly onSettings: (settings: Settings) => void;
};

export function IdleLockForm({ client, canEdit, settings, onSettings }: Props) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(String(settings?.idleLockMinutes ?? 0));
  const form = useFormAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(minutes);
    if (minutes.trim() === '' || !Number.isInteger(value) || value < 0 || value > MAX_MINUTES) {
      return form.fail(new ValidationProblem('validation.idleMinutes'));
    }
    void form.run(async () => {
      const saved = await client.call('settings.update', { idleLockMinutes: value });
      onSettings(saved);
      setMinutes(String(saved.idleLockMinutes));
      return { key: 'settings.savedOk' };
    });
  };

  return (
    <section className="card" aria-labelledby="idle-title">
      <h2 id="idle-title">{t('settings.idleTitle')}</h2>
      <form onSubmit={submit} noValidate data-testid="idle-form">
        <Field id="idle-minutes" label={t('settings.idleMinutes')} hint={canEdit ? t('settings.idleHint') : t('settings.idleReadOnly')}>
          <input
            id="idle-minutes"
            data-testid="idle-minutes"
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_MINUTES}
            step={1}
            readOnly={!canEdit}
            aria-describedby="idle-minutes-hint"
            value={minutes}
            onChange={(event) => setMinutes(event.target.value)}
          />
        </Field>
        <ErrorAlert error={form.error} testId="idle-error" />
        <Notice notice={form.notice} testId="idle-notice" />
        {canEdit && (
          <button type="submit" className="primary" disabled={form.busy} data-testid="idle-save">
            {form.busy ? t('settings.working') : t('settings.save')}
          </button>
        )}
      </form>
    </section>
  );
}
