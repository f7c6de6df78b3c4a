import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemStatus, Scheme } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { currentLocale } from '../../i18n/setup';
import { formatCount } from '../../i18n/format';
import { ItemRow } from './ItemRow';
import { useItemPages } from './use-item-pages';

// Fixed height: the virtualiser places rows without measuring them, which keeps 100 000 rows cheap.
const ROW_HEIGHT = 36;
const OVERSCAN = 15;
// The order of the filter; the renderer takes only types from the contract, not its lists.
const STATUSES: readonly ItemStatus[] = ['unreviewed', 'known', 'ignorable', 'reviewed'];

type Props = {
  readonly client: ApiClient;
  readonly caseNumber: string;
  /** Bumped by the case view when items may have changed (an ingest finished). */
  readonly version: number;
  /** The case's scheme, for category labels; null until the case has loaded. */
  readonly scheme: Scheme | null;
  /** The item whose detail is open. */
  readonly selected: number | null;
  readonly onSelect: (itemId: number) => void;
};

/**
 * Every item of the case, virtualised: only the rows on screen exist, pages are fetched as they
 * scroll in. Memoised: the case view redraws with every progress tick, the list need not.
 */
export const ItemList = memo(function ItemList({ client, caseNumber, version, scheme, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ItemStatus | null>(null);
  const pages = useItemPages(client, caseNumber, status, version);
  const scroller = useRef<HTMLDivElement>(null);
  const count = pages.total ?? 0;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;
  const { show } = pages;
  useEffect(() => show(first, last), [show, first, last]);

  // A new filter starts at the top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [status]);

  return (
    <section className="card" aria-labelledby="items-title" data-testid="items">
      <div className="card-head">
        <h2 id="items-title">{t('items.title')}</h2>
        {/* Not a live region: while an ingest runs the total changes every few seconds. */}
        <p className="items-total" data-testid="items-total" data-total={pages.total ?? ''}>
          {pages.total === null ? t('app.loading') : t('items.total', { count: pages.total, formatted: formatCount(pages.total, currentLocale()) })}
        </p>
        <div className="field field-inline">
          <label htmlFor="items-status">{t('items.filter')}</label>
          <select
            id="items-status"
            data-testid="items-status"
            value={status ?? ''}
            onChange={(event) => setStatus(event.target.value === '' ? null : (event.target.value as ItemStatus))}
          >
            <option value="">{t('items.all')}</option>
            {STATUSES.map((code) => (
              <option key={code} value={code}>
                {t(`items.status.${code}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert error={pages.error} testId="items-error" />
      {pages.total !== null && pages.total > 0 && <p className="field-hint items-hint">{t('items.selectHint')}</p>}
      {pages.total === 0 ? (
        <p className="muted" data-testid="items-empty">
          {status === null ? t('items.empty') : t('items.emptyFiltered')}
        </p>
      ) : (
        // Focusable, so the keyboard can page through the list.
        <div className="items-scroll" ref={scroller} tabIndex={0} data-testid="items-scroll">
          <div role="table" aria-labelledby="items-title" aria-rowcount={count + 1} className="items-table">
            <div role="rowgroup" className="items-head">
              <div role="row" aria-rowindex={1} className="item-row">
                <span role="columnheader">{t('items.path')}</span>
                <span role="columnheader">{t('items.type')}</span>
                <span role="columnheader" className="numeric">
                  {t('items.size')}
                </span>
                <span role="columnheader">MD5</span>
                <span role="columnheader">SHA-256</span>
                <span role="columnheader">{t('items.statusColumn')}</span>
                <span role="columnheader">{t('items.category')}</span>
                <span role="columnheader">{t('items.error')}</span>
              </div>
            </div>
            <div role="rowgroup" className="items-body" style={{ height: virtualizer.getTotalSize() }}>
              {rows.map((row) => {
                const item = pages.itemAt(row.index);
                return (
                  <ItemRow
                    key={row.key}
                    index={row.index}
                    item={item}
                    style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                    scheme={scheme}
                    selected={item !== null && item.id === selected}
                    onSelect={onSelect}
                  />
                );
              })}
            </div>
          </div>
        </div>
      )}
    </section>
  );
});
