import { Trans, useTranslation } from 'react-i18next';

/** Browser mode opened without (or with a stale) token: nothing works until the right link is used. */
export function TokenRefusedView() {
  const { t } = useTranslation();
  const command = { cmd: <code /> };
  return (
    <section className="card card-narrow" role="alert" aria-labelledby="token-title" data-testid="token-refused">
      <h1 id="token-title">{t('tokenRefused.title')}</h1>
      <p className="lead-strong" data-testid="token-refused-message">
        <Trans i18nKey="tokenRefused.body" components={command} />
      </p>
      <p>
        <Trans i18nKey="tokenRefused.hint" components={command} />
      </p>
    </section>
  );
}
