import { useTranslation } from 'react-i18next';
import type { ErrorCode } from '../../electron/api/contract';
import { ApiError } from '../api/errors';
import { ValidationProblem } from './validation';

// The unlock screen says only "name or passphrase not correct"; the engine's detail would tell
// whether the login name exists.
const NO_DETAIL: ReadonlySet<ErrorCode> = new Set(['bad-credentials']);

type Props = { readonly error: unknown; readonly testId?: string };

/** A failed action, in the user's language; the engine's own wording only as secondary detail. */
export function ErrorAlert({ error, testId = 'error' }: Props) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;

  let message: string;
  let detail: string | null = null;
  if (error instanceof ValidationProblem) {
    message = t(error.key, error.values);
  } else if (error instanceof ApiError) {
    message = t(`errors.${error.code}`);
    detail = NO_DETAIL.has(error.code) ? null : error.message || null;
  } else {
    message = t('errors.unexpected');
    detail = error instanceof Error ? error.message : String(error);
  }

  return (
    <div role="alert" className="alert alert-error" data-testid={testId}>
      <p>{message}</p>
      {detail && <p className="alert-detail">{t('errors.detail', { message: detail })}</p>}
    </div>
  );
}
