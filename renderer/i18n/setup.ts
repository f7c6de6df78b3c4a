import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../electron/api/contract';
import en from './en.json';
import es from './es.json';

// Spanish must carry every English key; the compiler says which one is missing.
const resources = {
  en: { translation: en },
  es: { translation: es satisfies typeof en },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

const STORAGE_KEY = 'custos.locale';

function isLocale(value: string | null): value is Locale {
  return value === 'en' || value === 'es';
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : 'en';
}

export async function setLocale(locale: Locale): Promise<void> {
  localStorage.setItem(STORAGE_KEY, locale);
  await i18next.changeLanguage(locale);
}

export async function setupI18n(): Promise<void> {
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  await i18next.use(initReactI18next).init({
    resources,
    lng: initialLocale(),
    fallbackLng: 'en',
    // React escapes what it renders; escaping twice would show entities.
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = i18next.language;
}
