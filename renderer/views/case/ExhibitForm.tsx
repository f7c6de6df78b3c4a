import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useFormAction } from '../../components/use-form-action';
import { ValidationProblem } from '../../components/validation';
import { localInputToIso } from './seized-at';

type Props = {
  readonly client: ApiClient;
  readonly caseNumber: string;
  readonly onAdded: () => void;
};

const EMPTY = { number: '', description: '', seizedBy: '', seizedAt: '', seizedFrom: '', seal: '' };
type Draft = typeof EMPTY;

/** Blank optional fields stay out of the call: the engine records them as unknown, not as "". */
function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Registers a seized item (an exhibit) in the case, with what the seizure record says about it. */
export function ExhibitForm({ client, caseNumber, onAdded }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const form = useFormAction();
  const set = (key: keyof Draft) => (event: ChangeEvent<HTMLInputElement>) => {
    const value = event.target.value;
    setDraft((current) => ({ ...current, [key]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.number.trim() === '' || draft.description.trim() === '') return form.fail(new ValidationProblem('validation.exhibitRequired'));
    const seizedAt = draft.seizedAt === '' ? undefined : localInputToIso(draft.seizedAt);
    if (seizedAt === null) return form.fail(new ValidationProblem('validation.seizedAt'));
    void form.run(async () => {
      const added = await client.call('exhibits.add', {
        caseNumber,
        number: draft.number.trim(),
        description: draft.description.trim(),
        seizedBy: optional(draft.seizedBy),
        seizedAt,
        seizedFrom: optional(draft.seizedFrom),
        seal: optional(draft.seal),
      });
      setDraft(EMPTY);
      onAdded();
      return { key: 'exhibits.addedOk', values: { number: added.number } };
    });
  };

  return (
    <section className="card" aria-labelledby="exhibit-add-title">
      <h2 id="exhibit-add-title">{t('exhibits.addTitle')}</h2>
      <form onSubmit={submit} noValidate className="exhibit-form" data-testid="exhibit-add-form">
        <Field id="exhibit-number" label={t('exhibits.number')}>
          <input id="exhibit-number" data-testid="exhibit-number" maxLength={64} spellCheck={false} value={draft.number} onChange={set('number')} />
        </Field>
        <div className="span-2">
          <Field id="exhibit-description" label={t('exhibits.description')}>
            <input
              id="exhibit-description"
              data-testid="exhibit-description"
              maxLength={2000}
              value={draft.description}
              onChange={set('description')}
            />
          </Field>
        </div>
        <Field id="exhibit-seized-by" label={t('exhibits.seizedBy')}>
          <input id="exhibit-seized-by" data-testid="exhibit-seized-by" maxLength={200} value={draft.seizedBy} onChange={set('seizedBy')} />
        </Field>
        <Field id="exhibit-seized-at" label={t('exhibits.seizedAt')} hint={t('exhibits.seizedAtHint', { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}>
          <input
            id="exhibit-seized-at"
            data-testid="exhibit-seized-at"
            type="datetime-local"
            aria-describedby="exhibit-seized-at-hint"
            value={draft.seizedAt}
            onChange={set('seizedAt')}
          />
        </Field>
        <Field id="exhibit-seized-from" label={t('exhibits.seizedFromLong')}>
          <input id="exhibit-seized-from" data-testid="exhibit-seized-from" maxLength={500} value={draft.seizedFrom} onChange={set('seizedFrom')} />
        </Field>
        <Field id="exhibit-seal" label={t('exhibits.sealLong')}>
          <input id="exhibit-seal" data-testid="exhibit-seal" maxLength={100} spellCheck={false} value={draft.seal} onChange={set('seal')} />
        </Field>
        <div className="form-actions exhibit-submit">
          <button type="submit" className="primary" disabled={form.busy} data-testid="exhibit-add">
            {form.busy ? t('exhibits.working') : t('exhibits.add')}
          </button>
        </div>
      </form>
      <ErrorAlert error={form.error} testId="exhibit-add-error" />
      <Notice notice={form.notice} testId="exhibit-add-notice" />
    </section>
  );
}
