import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView, Scheme } from '../../../electron/api/contract';
import { categoryLabel } from '../../i18n/categories';
import { currentLocale } from '../../i18n/setup';
import { formatBytes } from '../../i18n/format';

// Enough of a digest to tell rows apart at a glance; the full value is in the title and copyable.
const SHORT_HASH = 12;

function Hash({ value, testId }: { readonly value: string | null; readonly testId: string }) {
  if (value === null) return <span className="muted">—</span>;
  return (
    <span className="mono" title={value} data-testid={testId} data-full={value}>
      {value.slice(0, SHORT_HASH)}…
    </span>
  );
}

type Props = {
  readonly index: number;
  readonly item: ItemView | null;
  readonly style: CSSProperties;
  /** The case's scheme, for category labels; null until the case has loaded. */
  readonly scheme: Scheme | null;
  readonly selected: boolean;
  readonly onSelect: (itemId: number) => void;
};

/**
 * One row of the item list: text and digests only. Never an image of the item: what a file
 * shows is for the review workspace, with its protections, not for an intake list.
 */
export function ItemRow({ index, item, style, scheme, selected, onSelect }: Props) {
  const { t } = useTranslation();
  if (!item) {
    return (
      <div role="row" aria-rowindex={index + 2} className="item-row item-row-loading" style={style} data-testid="item-row-loading">
        <span role="cell" className="muted">
          {t('app.loading')}
        </span>
      </div>
    );
  }
  const category = item.category === null ? null : ((scheme && categoryLabel(scheme, item.category, currentLocale())) ?? item.category);
  return (
    // The whole row opens the detail for the mouse; the path is the button for the keyboard, and
    // its click (Enter, Space) bubbles to the row's handler.
    <div
      role="row"
      aria-rowindex={index + 2}
      className={selected ? 'item-row item-row-selected' : 'item-row'}
      style={style}
      onClick={() => onSelect(item.id)}
      data-testid="item-row"
      data-item-id={item.id}
      data-selected={selected ? 'true' : undefined}
    >
      {/* Cut at the start when too long: the file name at the end is what tells rows apart. */}
      <span role="cell" className="cell-path mono" title={item.path} data-testid="item-path">
        <button type="button" className="link item-open" aria-current={selected ? 'true' : undefined} data-testid="item-open">
          <bdi>{item.path}</bdi>
        </button>
      </span>
      <span role="cell" className="cell-mime" title={item.mime ?? undefined}>
        {item.mime ?? <span className="muted">—</span>}
      </span>
      <span role="cell" className="numeric">
        {item.size === null ? <span className="muted">—</span> : formatBytes(item.size, currentLocale())}
      </span>
      <span role="cell">
        <Hash value={item.md5} testId="item-md5" />
      </span>
      <span role="cell">
        <Hash value={item.sha256} testId="item-sha256" />
      </span>
      <span role="cell">
        <span className={`badge badge-status-${item.status}`} data-testid="item-status">
          {t(`items.status.${item.status}`)}
        </span>
      </span>
      <span role="cell" title={category ?? undefined} data-testid="item-category">
        {category ?? <span className="muted">—</span>}
      </span>
      <span role="cell">
        {item.error !== null && (
          <span className="badge badge-error" title={item.error} data-testid="item-error">
            {t('items.errorMarker')}
            <span className="visually-hidden">: {item.error}</span>
          </span>
        )}
      </span>
    </div>
  );
}
