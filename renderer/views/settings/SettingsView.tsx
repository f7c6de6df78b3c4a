import { useTranslation } from 'react-i18next';
import type { Role, Settings } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ChangePassphraseForm } from './ChangePassphraseForm';
import { IdleLockForm } from './IdleLockForm';
import { IntegrityCheck } from './IntegrityCheck';

type Props = {
  readonly client: ApiClient;
  readonly role: Role;
  readonly settings: Settings | null;
  readonly onSettings: (settings: Settings) => void;
};

export function SettingsView({ client, role, settings, onSettings }: Props) {
  const { t } = useTranslation();
  return (
    <div className="stack" data-testid="settings-view">
      <h1 className="page-title">{t('settings.title')}</h1>
      <div className="columns">
        <IdleLockForm client={client} canEdit={role !== 'investigator'} settings={settings} onSettings={onSettings} />
        <ChangePassphraseForm client={client} />
      </div>
      <IntegrityCheck client={client} />
    </div>
  );
}
