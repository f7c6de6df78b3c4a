import { useTranslation } from 'react-i18next';
import type { ExhibitView } from '../../../electron/api/contract';
import { DateTime } from '../../components/DateTime';

type Props = {
  readonly exhibits: readonly ExhibitView[];
  /** Opens the ingest dialog for one exhibit. */
  readonly onIngest: (exhibit: ExhibitView) => void;
};

function Optional({ value }: { readonly value: string | null }) {
  return value === null || value === '' ? <span className="muted" aria-hidden="true">—</span> : <>{value}</>;
}

export function ExhibitsTable({ exhibits, onIngest }: Props) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <table data-testid="exhibits-table">
        <thead>
          <tr>
            <th scope="col">{t('exhibits.number')}</th>
            <th scope="col">{t('exhibits.description')}</th>
            <th scope="col">{t('exhibits.seizedBy')}</th>
            <th scope="col">{t('exhibits.seizedAt')}</th>
            <th scope="col">{t('exhibits.seizedFrom')}</th>
            <th scope="col">{t('exhibits.seal')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('exhibits.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {exhibits.map((exhibit) => (
            <tr key={exhibit.id} data-testid="exhibit-row" data-exhibit-number={exhibit.number}>
              <td className="mono nowrap">{exhibit.number}</td>
              <td className="text-wide">{exhibit.description}</td>
              <td>
                <Optional value={exhibit.seizedBy} />
              </td>
              <td className="nowrap">{exhibit.seizedAt === null ? <Optional value={null} /> : <DateTime iso={exhibit.seizedAt} />}</td>
              <td>
                <Optional value={exhibit.seizedFrom} />
              </td>
              <td className="mono nowrap">
                <Optional value={exhibit.seal} />
              </td>
              <td className="actions">
                <button
                  type="button"
                  onClick={() => onIngest(exhibit)}
                  aria-label={t('ingest.openFor', { number: exhibit.number })}
                  data-testid="exhibit-ingest"
                >
                  {t('ingest.open')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
