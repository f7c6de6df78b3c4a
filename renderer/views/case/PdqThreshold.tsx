import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { ValidationProblem } from '../../components/validation';
import { BitsInput, parseThresholdBits, type ThresholdProps } from './threshold-bits';

/** The case's PDQ threshold: shown to everyone, changed by supervisors and administrators. */
export function PdqThreshold({ client, record, canEdit, onSaved }: ThresholdProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState(String(record.pdqThreshold));
  const form = useFormAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const threshold = parseThresholdBits(value);
    if (threshold === null) return form.fail(new ValidationProblem('validation.pdqThreshold'));
    void form.run(async () => {
      const saved = await client.call('cases.setPdqThreshold', { caseNumber: record.number, threshold });
      onSaved(saved);
      setValue(String(saved.pdqThreshold));
      return { key: 'triage.pdqSaved', values: { threshold: String(saved.pdqThreshold) } };
    });
  };

  return (
    <div className="triage-block" data-testid="pdq-threshold">
      <h3>{t('triage.pdqTitle')}</h3>
      <p className="triage-value" data-testid="pdq-threshold-value">
        {t('triage.thresholdCurrent', { threshold: record.pdqThreshold })}
      </p>
      <p className="field-hint">{t('triage.pdqHint')}</p>
      {canEdit ? (
        <form onSubmit={submit} noValidate className="inline-form" data-testid="pdq-threshold-form">
          <Field id="pdq-threshold" label={t('triage.pdqLabel')} hint={t('triage.thresholdRematchNote')}>
            <div className="input-with-button">
              <BitsInput id="pdq-threshold" value={value} onChange={setValue} />
              <button type="submit" disabled={form.busy} data-testid="pdq-threshold-save">
                {form.busy ? t('triage.saving') : t('triage.pdqSave')}
              </button>
            </div>
          </Field>
          <ErrorAlert error={form.error} testId="pdq-threshold-error" />
          <Notice notice={form.notice} testId="pdq-threshold-notice" />
        </form>
      ) : (
        <p className="field-hint">{t('triage.thresholdReadOnly')}</p>
      )}
    </div>
  );
}
