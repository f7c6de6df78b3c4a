import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView as CaseRecord, ExhibitView, Role } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IngestDialog } from '../ingest/IngestDialog';
import { IngestJobs } from '../ingest/IngestJobs';
import { useIngestJobs } from '../ingest/use-ingest-jobs';
import { ItemDetail } from '../items/ItemDetail';
import { ItemList } from '../items/ItemList';
import { ExhibitForm } from './ExhibitForm';
import { ExhibitsTable } from './ExhibitsTable';
import { TriagePanel } from './TriagePanel';

const LIVE_REFRESH_MS = 5000;

type Props = {
  readonly client: ApiClient;
  /** Supervisors and administrators may change the case's PDQ and blockhash thresholds. */
  readonly role: Role;
  readonly caseNumber: string;
  readonly onBack: () => void;
};

/** One case: its header and triage numbers, exhibits and their intake, ingest progress, the items found and one item's detail. */
export function CaseView({ client, role, caseNumber, onBack }: Props) {
  const { t } = useTranslation();
  const [record, setRecord] = useState<CaseRecord | null>(null);
  const [exhibits, setExhibits] = useState<readonly ExhibitView[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  // The exhibit whose ingest dialog is open.
  const [ingesting, setIngesting] = useState<ExhibitView | null>(null);
  // The item whose detail is open.
  const [selectedItem, setSelectedItem] = useState<number | null>(null);
  const closeDetail = useCallback(() => setSelectedItem(null), []);
  // Bumped when items may have changed (a job finished, or one is running, or a rematch), so the
  // list, the triage numbers and the open detail fetch again.
  const [itemsVersion, setItemsVersion] = useState(0);
  const refreshItems = useCallback(() => setItemsVersion((v) => v + 1), []);
  const jobs = useIngestJobs(client, caseNumber, refreshItems);
  // While something is being ingested, items appear as they are found: show them as they come.
  const anyRunning = jobs.jobs.some((job) => job.state === 'running');
  useEffect(() => {
    if (!anyRunning) return;
    const timer = window.setInterval(refreshItems, LIVE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [anyRunning, refreshItems]);

  const load = useCallback(() => {
    // The contract has no single-case call: the list is short and carries the header fields.
    Promise.all([client.call('cases.list', {}), client.call('exhibits.list', { caseNumber })]).then(
      ([cases, list]) => {
        setRecord(cases.find((c) => c.number === caseNumber) ?? null);
        setExhibits(list);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error),
    );
  }, [client, caseNumber]);
  useEffect(load, [load]);

  return (
    <div className="stack" data-testid="case-view">
      <div>
        <button type="button" className="link back-link" onClick={onBack} data-testid="case-back">
          {t('case.back')}
        </button>
      </div>

      <section className="card case-header" aria-labelledby="case-heading">
        <h1 id="case-heading">
          <span className="muted case-kicker">{t('case.heading')}</span> <span className="mono" data-testid="case-number">{caseNumber}</span>
        </h1>
        {record && (
          <p className="case-meta">
            <span className="case-title" data-testid="case-title">
              {record.title}
            </span>
            <span className="badge badge-scheme" data-testid="case-scheme">
              {t(`schemes.${record.scheme}`)}
            </span>
          </p>
        )}
        <ErrorAlert error={loadError} testId="case-load-error" />
      </section>

      <TriagePanel
        client={client}
        caseNumber={caseNumber}
        record={record}
        canEditThreshold={role !== 'investigator'}
        version={itemsVersion}
        onRematched={refreshItems}
        onRecord={setRecord}
      />

      <section className="card" aria-labelledby="exhibits-title">
        <h2 id="exhibits-title">{t('exhibits.title')}</h2>
        {exhibits === null && !loadError && <p className="muted">{t('app.loading')}</p>}
        {exhibits?.length === 0 && (
          <p className="muted" data-testid="exhibits-empty">
            {t('exhibits.empty')}
          </p>
        )}
        {exhibits && exhibits.length > 0 && <ExhibitsTable exhibits={exhibits} onIngest={setIngesting} />}
      </section>

      <ExhibitForm client={client} caseNumber={caseNumber} onAdded={load} />

      <IngestJobs jobs={jobs.jobs} error={jobs.error} announcement={jobs.announcement} onStop={jobs.stop} />

      <ItemList
        client={client}
        caseNumber={caseNumber}
        version={itemsVersion}
        scheme={record?.scheme ?? null}
        selected={selectedItem}
        onSelect={setSelectedItem}
      />

      {selectedItem !== null && record && (
        <ItemDetail client={client} itemId={selectedItem} scheme={record.scheme} version={itemsVersion} onClose={closeDetail} />
      )}

      {ingesting && (
        <IngestDialog
          pickPaths={client.pickPaths}
          exhibit={ingesting}
          onStart={async (paths) => {
            await jobs.start(ingesting.number, paths);
            setIngesting(null);
          }}
          onClose={() => setIngesting(null)}
        />
      )}
    </div>
  );
}
