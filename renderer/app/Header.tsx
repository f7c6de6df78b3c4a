import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../electron/api/contract';
import { LanguageSwitch } from './LanguageSwitch';

type Props = {
  /** The signed-in user; null on setup, unlock and the token page. */
  readonly user: { readonly name: string; readonly role: Role } | null;
  readonly onLock?: () => void;
  /** Navigation of the unlocked workspace. */
  readonly children?: ReactNode;
};

export function Header({ user, onLock, children }: Props) {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-name" data-testid="product-name">
          {t('app.name')}
        </span>
        <span className="brand-tagline">{t('app.tagline')}</span>
      </div>
      {children}
      <div className="topbar-end">
        {user && (
          <div className="who" aria-label={`${t('app.signedInAs')} ${user.name}`}>
            <span className="who-name" data-testid="user-name">
              {user.name}
            </span>
            <span className="who-role" data-testid="user-role">
              {t(`roles.${user.role}`)}
            </span>
          </div>
        )}
        <LanguageSwitch />
        {user && onLock && (
          <button type="button" className="lock-button" onClick={onLock} data-testid="lock-button">
            {t('app.lock')}
          </button>
        )}
      </div>
    </header>
  );
}
