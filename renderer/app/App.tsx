import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusView } from '../../electron/api/contract';
import type { ApiClient } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { SetupView } from '../views/SetupView';
import { TokenRefusedView } from '../views/TokenRefusedView';
import { UnlockView } from '../views/UnlockView';
import { Header } from './Header';
import { Workspace } from './Workspace';

/**
 * Picks the screen from the engine's status: setup, unlock or the workspace. Status comes from
 * call results and from `session.changed`, so a lock from anywhere returns here to Unlock.
 */
export function App({ client }: { readonly client: ApiClient }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StatusView | null>(null);
  const [refused, setRefused] = useState(!client.connected);
  const [startupError, setStartupError] = useState<unknown>(null);
  const [lockedForIdle, setLockedForIdle] = useState(false);

  const loadStatus = useCallback(() => {
    setStartupError(null);
    client.call('store.status', {}).then(setStatus, setStartupError);
  }, [client]);

  useEffect(() => {
    const offRefused = client.onTokenRefused(() => setRefused(true));
    const offEvents = client.onEvent((event) => {
      if (event.event !== 'session.changed') return;
      // An unlock from anywhere ends the "locked for inactivity" note; a lock from elsewhere never sets it.
      if (event.payload.unlocked) setLockedForIdle(false);
      setStatus(event.payload);
    });
    if (client.connected) loadStatus();
    return () => {
      offRefused();
      offEvents();
    };
  }, [client, loadStatus]);

  const onStatus = useCallback((next: StatusView) => {
    if (next.unlocked) setLockedForIdle(false);
    setStatus(next);
  }, []);
  const onLocked = useCallback((next: StatusView, reason: 'manual' | 'idle') => {
    setLockedForIdle(reason === 'idle');
    setStatus(next);
  }, []);

  if (!refused && status?.initialised && status.unlocked && status.user) {
    return (
      <div className="app">
        <Workspace client={client} user={status.user} settings={status.settings} onStatus={onStatus} onLocked={onLocked} />
      </div>
    );
  }

  let screen;
  if (refused) screen = <TokenRefusedView />;
  else if (status && !status.initialised) screen = <SetupView client={client} onStatus={onStatus} />;
  else if (status) screen = <UnlockView client={client} onStatus={onStatus} lockedForIdle={lockedForIdle} />;
  else if (startupError)
    screen = (
      <section className="card card-narrow">
        <ErrorAlert error={startupError} testId="startup-error" />
        <button type="button" onClick={loadStatus}>
          {t('app.retry')}
        </button>
      </section>
    );
  else screen = <p className="muted centered">{t('app.loading')}</p>;

  return (
    <div className="app">
      <Header user={null} />
      <main className="content content-centered">{screen}</main>
    </div>
  );
}
