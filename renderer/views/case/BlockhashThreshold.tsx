import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { ValidationProblem } from '../../components/validation';
import { BitsInput, parseThresholdBits, type ThresholdProps } from './threshold-bits';

/**
 * The case's blockhash threshold, or blockhash matching off (the default: PDQ is the perceptual
 * match of record). Shown to everyone, changed by supervisors and administrators.
 */
export function BlockhashThreshold({ client, record, canEdit, onSaved }: ThresholdProps) {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState(record.blockhashThreshold !== null);
  // Kept while matching is off, so turning it back on offers the number last used.
  const [value, setValue] = useState(record.blockhashThreshold === null ? '' : String(record.blockhashThreshold));
  const form = useFormAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const threshold = enabled ? parseThresholdBits(value) : null;
    if (enabled && threshold === null) return form.fail(new ValidationProblem('validation.blockhashThreshold'));
    void form.run(async () => {
      const saved = await client.call('cases.setBlockhashThreshold', { caseNumber: record.number, threshold });
      onSaved(saved);
      setEnabled(saved.blockhashThreshold !== null);
      if (saved.blockhashThreshold === null) return { key: 'triage.blockhashSavedOff' };
      setValue(String(saved.blockhashThreshold));
      return { key: 'triage.blockhashSaved', values: { threshold: String(saved.blockhashThreshold) } };
    });
  };

  return (
    <div className="triage-block" data-testid="blockhash-threshold">
      <h3>{t('triage.blockhashTitle')}</h3>
      <p className="triage-value" data-testid="blockhash-threshold-value">
        {record.blockhashThreshold === null ? t('triage.blockhashOff') : t('triage.thresholdCurrent', { threshold: record.blockhashThreshold })}
      </p>
      <p className="field-hint">{t('triage.blockhashHint')}</p>
      {canEdit ? (
        <form onSubmit={submit} noValidate className="inline-form" data-testid="blockhash-threshold-form">
          <label className="check-field" htmlFor="blockhash-threshold-enabled">
            <input
              id="blockhash-threshold-enabled"
              data-testid="blockhash-threshold-enabled"
              type="checkbox"
              checked={enabled}
              onChange={(event) => setEnabled(event.target.checked)}
            />
            {t('triage.blockhashEnabled')}
          </label>
          <Field id="blockhash-threshold" label={t('triage.blockhashLabel')} hint={t('triage.thresholdRematchNote')}>
            <div className="input-with-button">
              <BitsInput id="blockhash-threshold" value={value} disabled={!enabled} onChange={setValue} />
              <button type="submit" disabled={form.busy} data-testid="blockhash-threshold-save">
                {form.busy ? t('triage.saving') : t('triage.blockhashSave')}
              </button>
            </div>
          </Field>
          <ErrorAlert error={form.error} testId="blockhash-threshold-error" />
          <Notice notice={form.notice} testId="blockhash-threshold-notice" />
        </form>
      ) : (
        <p className="field-hint">{t('triage.thresholdReadOnly')}</p>
      )}
    </div>
  );
}
