import { useCallback, useState } from 'react';
import type { NoticeText } from './Notice';

/**
 * Busy flag, error and success message of one form. `run` refuses a second submit while the
 * first is in flight (Argon2id makes unlock and passphrase changes take a noticeable moment).
 */
export function useFormAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);

  const run = useCallback(
    async (action: () => Promise<NoticeText | null>) => {
      if (busy) return;
      setBusy(true);
      setError(null);
      setNotice(null);
      try {
        setNotice(await action());
      } catch (caught) {
        setError(caught);
      } finally {
        setBusy(false);
      }
    },
    [busy],
  );

  /** A problem found before calling the engine; any earlier success message no longer applies. */
  const fail = useCallback((problem: unknown) => {
    setNotice(null);
    setError(problem);
  }, []);

  return { busy, error, notice, fail, run };
}
