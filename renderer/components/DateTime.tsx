import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n/setup';
import { formatDateTime } from '../i18n/format';

export function DateTime({ iso }: { readonly iso: string }) {
  // Subscribes to language changes so the format follows the switch.
  useTranslation();
  return <time dateTime={iso}>{formatDateTime(iso, currentLocale())}</time>;
}
