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

// Decimal units (1 MB = 1 000 000 bytes), as the CLI prints them and as media are labelled.
const BYTE_UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

export function formatBytes(bytes: number, locale: Locale): string {
  // Intl's short "byte" does not take a plural ("12 byte"); "B" reads the same in both languages.
  if (bytes < 1000) return `${formatCount(Math.max(0, bytes), locale)} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value);
}

/** A rate such as files per second: one decimal below 10, whole numbers above. */
export function formatRate(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
}

/** Megabytes per second, the unit investigators compare media speeds in. */
export function formatMegabytesPerSecond(bytesPerSecond: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'unit',
    unit: 'megabyte-per-second',
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(bytesPerSecond / 1_000_000);
}

/** "1 h 05 min", "3 min 20 s", "12 s": the two largest units, enough for an ETA or a duration. */
export function formatDuration(seconds: number, locale: Locale): string {
  const total = Math.max(0, Math.round(seconds));
  const unit = (value: number, name: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(intlLocale(locale), { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${unit(h, 'hour')} ${unit(m, 'minute')}`;
  if (m > 0) return `${unit(m, 'minute')} ${unit(s, 'second')}`;
  return unit(s, 'second');
}
