import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoreCheckReport, VerifyReport } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormAction } from '../../components/use-form-action';

type Props = { readonly client: ApiClient };

type Findings = { readonly store: StoreCheckReport; readonly custody: VerifyReport };

/**
 * Reads and authenticates every page of the store and verifies the custody chain, on demand:
 * unlocking a large store leaves the hash sets' bulk tables to be authenticated as they are read.
 */
export function IntegrityCheck({ client }: Props) {
  const { t, i18n } = useTranslation();
  const action = useFormAction();
  const [findings, setFindings] = useState<Findings | null>(null);
  const count = (n: number) => new Intl.NumberFormat(i18n.language).format(n);

  const check = () => {
    setFindings(null);
    void action.run(async () => {
      const store = await client.call('store.check', {});
      const custody = await client.call('custody.verify', {});
      setFindings({ store, custody });
      return null;
    });
  };

  return (
    <section className="card" aria-labelledby="integrity-title" data-testid="integrity-card">
      <h2 id="integrity-title">{t('settings.integrityTitle')}</h2>
      <p className="muted">{t('settings.integrityIntro')}</p>
      <button type="button" className="primary" onClick={check} disabled={action.busy} data-testid="integrity-check">
        {action.busy ? t('settings.checking') : t('settings.check')}
      </button>
      <ErrorAlert error={action.error} testId="integrity-error" />
      {findings && (
        <div className="integrity-findings" data-testid="integrity-findings">
          {findings.store.ok ? (
            <p role="status" className="alert alert-ok" data-testid="integrity-store">
              {t('settings.storeWhole', { pages: count(findings.store.pages) })}
            </p>
          ) : (
            <p role="alert" className="alert alert-error" data-testid="integrity-store">
              {t('settings.storeDamaged', { problem: findings.store.problem ?? '' })}
            </p>
          )}
          {findings.custody.ok ? (
            <p role="status" className="alert alert-ok" data-testid="integrity-custody">
              {t('settings.custodyVerifies', { events: count(findings.custody.events) })}
            </p>
          ) : (
            <p role="alert" className="alert alert-error" data-testid="integrity-custody">
              {t('settings.custodyBroken', { seq: String(findings.custody.firstBadSeq ?? '?'), reason: findings.custody.reason ?? '' })}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
