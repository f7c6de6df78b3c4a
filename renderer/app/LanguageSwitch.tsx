import { useTranslation } from 'react-i18next';
import type { Locale } from '../../electron/api/contract';
import { currentLocale, setLocale } from '../i18n/setup';

// Each language names itself, so someone who cannot read the current one still finds theirs.
const CHOICES: readonly { readonly locale: Locale; readonly short: string; readonly name: string }[] = [
  { locale: 'en', short: 'EN', name: 'English' },
  { locale: 'es', short: 'ES', name: 'Español' },
];

export function LanguageSwitch() {
  const { t } = useTranslation();
  const active = currentLocale();
  return (
    <div className="language-switch" role="group" aria-label={t('app.language')}>
      {CHOICES.map((choice) => (
        <button
          key={choice.locale}
          type="button"
          lang={choice.locale}
          title={choice.name}
          aria-label={choice.name}
          aria-pressed={active === choice.locale}
          data-testid={`lang-${choice.locale}`}
          onClick={() => void setLocale(choice.locale)}
        >
          {choice.short}
        </button>
      ))}
    </div>
  );
}
