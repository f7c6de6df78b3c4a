import type { ParseKeys } from 'i18next';
import { useTranslation } from 'react-i18next';

/** Kept as a key, not a string, so the message follows a language switch made after the action. */
export type NoticeText = { readonly key: ParseKeys; readonly values?: Readonly<Record<string, string>> };

type Props = { readonly notice: NoticeText | null; readonly testId?: string };

/** Confirms that an action went through; announced politely to screen readers. */
export function Notice({ notice, testId = 'notice' }: Props) {
  const { t } = useTranslation();
  if (!notice) return null;
  return (
    <p role="status" className="alert alert-ok" data-testid={testId}>
      {t(notice.key, notice.values)}
    </p>
  );
}
