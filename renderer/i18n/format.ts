import type { Locale } from '../../electron/api/contract';

// Keep the user's regional variant when it matches the chosen language (es-GT, en-GB, ...);
// otherwise Latin-American Spanish or US English.
function intlLocale(locale: Locale): string {
  const regional = navigator.languages.find((tag) => tag.toLowerCase().startsWith(`${locale}-`));
  return regional ?? (locale === 'es' ? 'es-419' : 'en-US');
}

export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(value);
}
