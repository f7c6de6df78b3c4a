import { useCallback, useEffect, useRef, useState } from 'react';
import type { HashSetImportView, MethodInput } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';

/** The later of two views of one import: an ended import never goes back to running. */
function later(a: HashSetImportView | undefined, b: HashSetImportView): HashSetImportView {
  if (!a) return b;
  if (a.state !== 'running') return a;
  if (b.state !== 'running') return b;
  return b.elapsedMs >= a.elapsedMs ? b : a;
}

/**
 * One hash-set import followed live: `hashsets.import` starts it, `hashset.progress` and
 * `hashset.finished` carry it on. As with ingest, calls and events travel on different
 * channels, so a small file can finish before the answer to the start arrives: every view of
 * an import is kept by id and the latest wins. A running import this view did not start (from
 * another window, or before the user navigated away) is picked up when nothing else is shown.
 */
export function useHashSetImport(client: ApiClient, onFinished: (view: HashSetImportView) => void) {
  const seen = useRef(new Map<number, HashSetImportView>());
  const shownId = useRef<number | null>(null);
  const [shown, setShown] = useState<HashSetImportView | null>(null);
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  }, [onFinished]);

  useEffect(() => {
    seen.current = new Map();
    return client.onEvent((event) => {
      if (event.event !== 'hashset.progress' && event.event !== 'hashset.finished') return;
      const view = later(seen.current.get(event.payload.importId), event.payload);
      seen.current.set(view.importId, view);
      const current = shownId.current === null ? undefined : seen.current.get(shownId.current);
      const adopt = view.state === 'running' && (current === undefined || current.state !== 'running');
      if (view.importId === shownId.current || adopt) {
        shownId.current = view.importId;
        setShown(view);
      }
      if (event.event === 'hashset.finished') onFinishedRef.current(view);
    });
  }, [client]);

  /** Starts an import and shows it; rejects with the engine's refusal (nothing was written then). */
  const start = useCallback(
    async (input: MethodInput<'hashsets.import'>): Promise<void> => {
      // The last import's result no longer applies once another is asked for (even if refused).
      shownId.current = null;
      setShown(null);
      const answer = await client.call('hashsets.import', input);
      const view = later(seen.current.get(answer.importId), answer);
      seen.current.set(view.importId, view);
      shownId.current = view.importId;
      setShown(view);
    },
    [client],
  );

  return { shown, running: shown?.state === 'running', start };
}
