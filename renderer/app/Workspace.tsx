import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, Settings, StatusView } from '../../electron/api/contract';
import type { ApiClient } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { CasesView } from '../views/CasesView';
import { CaseView } from '../views/case/CaseView';
import { HashSetsView } from '../views/hashsets/HashSetsView';
import { SettingsView } from '../views/settings/SettingsView';
import { UsersView } from '../views/users/UsersView';
import { Header } from './Header';
import { useIdleLock } from './use-idle-lock';

type Section = 'cases' | 'hashsets' | 'users' | 'settings';
type LockReason = 'manual' | 'idle';

type Props = {
  readonly client: ApiClient;
  readonly user: { readonly name: string; readonly role: Role };
  readonly settings: Settings | null;
  readonly onStatus: (status: StatusView) => void;
  readonly onLocked: (status: StatusView, reason: LockReason) => void;
};

function sectionsFor(role: Role): readonly Section[] {
  return role === 'admin' ? ['cases', 'hashsets', 'users', 'settings'] : ['cases', 'hashsets', 'settings'];
}

/** The unlocked application: header with navigation, one section at a time. */
export function Workspace({ client, user, settings, onStatus, onLocked }: Props) {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>('cases');
  // The case open in the Cases section; null shows the list. Choosing any section returns to it.
  const [openCase, setOpenCase] = useState<string | null>(null);
  const [lockError, setLockError] = useState<unknown>(null);
  const sections = sectionsFor(user.role);

  const lock = useCallback(
    (reason: LockReason) => {
      client.call('session.lock', { reason }).then(
        (status) => onLocked(status, reason),
        async (error: unknown) => {
          // Already locked elsewhere is still locked: follow the engine rather than report it.
          const status = await client.call('store.status', {}).catch(() => null);
          if (status && !status.unlocked) onLocked(status, reason);
          else setLockError(error);
        },
      );
    },
    [client, onLocked],
  );
  const lockForIdle = useCallback(() => lock('idle'), [lock]);
  useIdleLock(settings?.idleLockMinutes ?? 0, lockForIdle);

  const updateSettings = (next: Settings) =>
    onStatus({ initialised: true, unlocked: true, user, settings: next });

  return (
    <>
      <Header user={user} onLock={() => lock('manual')}>
        <nav className="nav" aria-label={t('app.nav.label')}>
          {sections.map((name) => (
            <button
              key={name}
              type="button"
              aria-current={section === name ? 'page' : undefined}
              onClick={() => {
                setSection(name);
                setOpenCase(null);
              }}
              data-testid={`nav-${name}`}
            >
              {t(`app.nav.${name}`)}
            </button>
          ))}
        </nav>
      </Header>
      <main className="content">
        <ErrorAlert error={lockError} testId="lock-error" />
        {section === 'cases' && openCase === null && <CasesView client={client} onOpen={setOpenCase} />}
        {section === 'cases' && openCase !== null && (
          <CaseView client={client} role={user.role} caseNumber={openCase} onBack={() => setOpenCase(null)} />
        )}
        {section === 'hashsets' && <HashSetsView client={client} role={user.role} />}
        {section === 'users' && user.role === 'admin' && <UsersView client={client} self={user.name} />}
        {section === 'settings' && (
          <SettingsView client={client} role={user.role} settings={settings} onSettings={updateSettings} />
        )}
      </main>
    </>
  );
}
