import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemExplanation, ItemView, MatchExplanation, Scheme } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { categoryLabel } from '../../i18n/categories';
import { currentLocale } from '../../i18n/setup';
import { formatBytes, formatCount, formatDateTime } from '../../i18n/format';
import { explainMatch, methodName } from './match-explanation';

type Props = {
  readonly client: ApiClient;
  readonly itemId: number;
  readonly scheme: Scheme;
  /** Bumped when matching may have changed (an ingest, a rematch): the detail loads again. */
  readonly version: number;
  readonly onClose: () => void;
};

function Missing() {
  return (
    <span className="muted" aria-hidden="true">
      —
    </span>
  );
}

function Row({ label, children, testId }: { readonly label: string; readonly children: ReactNode; readonly testId?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function Digest({ value, testId }: { readonly value: string | null; readonly testId: string }) {
  return value === null ? <Missing /> : <span className="mono digest" data-testid={testId}>{value}</span>;
}

function Match({ match, scheme }: { readonly match: MatchExplanation; readonly scheme: Scheme }) {
  const { t } = useTranslation();
  const explained = explainMatch(match, scheme, t, currentLocale());
  return (
    <li className={`match match-${match.kind}`} data-testid="item-match" data-kind={match.kind} data-method={match.method}>
      <div className="match-head">
        <span className={`badge badge-kind-${match.kind}`}>{t(`hashsets.kinds.${match.kind}`)}</span>
        <span className="badge badge-method">{methodName(match.method)}</span>
        {explained.needsGrading && <span className="badge badge-grading">{t('item.needsGrading')}</span>}
      </div>
      <p className="match-how" data-testid="item-match-how">
        {explained.how}
      </p>
      <p data-testid="item-match-effect">{explained.effect}</p>
      {explained.category !== null && <p data-testid="item-match-category">{explained.category}</p>}
      {explained.details.map((line) => (
        <p key={line} className="muted">
          {line}
        </p>
      ))}
      {match.entryHash !== null && (
        <p className="match-hash">
          <span className="muted">{t('item.entryHash')}:</span> <span className="mono digest">{match.entryHash}</span>
        </p>
      )}
    </li>
  );
}

function Fields({ item, scheme }: { readonly item: ItemView; readonly scheme: Scheme }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const exif = item.exif;
  const camera = [exif?.make, exif?.model].filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
  return (
    <dl className="item-fields">
      <Row label={t('item.exhibit')}>{item.exhibit}</Row>
      <Row label={t('item.status')} testId="item-detail-status">
        <span className={`badge badge-status-${item.status}`}>{t(`items.status.${item.status}`)}</span>
      </Row>
      <Row label={t('item.category')} testId="item-detail-category">
        {item.category === null ? <Missing /> : (categoryLabel(scheme, item.category, locale) ?? item.category)}
      </Row>
      <div className="item-field-wide">
        <dt>{t('item.path')}</dt>
        <dd className="mono item-path" data-testid="item-detail-path">
          {item.path}
        </dd>
      </div>
      <Row label={t('item.type')}>{item.mime ?? <Missing />}</Row>
      <Row label={t('item.size')}>{item.size === null ? <Missing /> : formatBytes(item.size, locale)}</Row>
      <Row label={t('item.dimensions')}>
        {item.width === null || item.height === null ? (
          <Missing />
        ) : (
          t('item.dimensionsValue', { width: formatCount(item.width, locale), height: formatCount(item.height, locale) })
        )}
      </Row>
      <div className="item-field-wide">
        <dt>MD5</dt>
        <dd>
          <Digest value={item.md5} testId="item-detail-md5" />
        </dd>
      </div>
      <div className="item-field-wide">
        <dt>SHA-1</dt>
        <dd>
          <Digest value={item.sha1} testId="item-detail-sha1" />
        </dd>
      </div>
      <div className="item-field-wide">
        <dt>SHA-256</dt>
        <dd>
          <Digest value={item.sha256} testId="item-detail-sha256" />
        </dd>
      </div>
      {item.pdq !== null && (
        <div className="item-field-wide">
          <dt>PDQ</dt>
          <dd>
            <Digest value={item.pdq} testId="item-detail-pdq" />
            {item.pdqQuality !== null && (
              <span className="muted">
                {' '}
                · {t('item.pdqQuality')} {formatCount(item.pdqQuality, locale)}
              </span>
            )}
          </dd>
        </div>
      )}
      {item.blockhash !== null && (
        <div className="item-field-wide">
          <dt>Blockhash</dt>
          <dd>
            <Digest value={item.blockhash} testId="item-detail-blockhash" />
          </dd>
        </div>
      )}
      {camera !== '' && <Row label={t('item.camera')}>{camera}</Row>}
      {exif?.dateTimeOriginal && <Row label={t('item.taken')}>{formatDateTime(exif.dateTimeOriginal, locale)}</Row>}
      {exif?.gps && (
        <Row label={t('item.gps')}>
          <span className="mono">
            {exif.gps.lat.toFixed(5)}, {exif.gps.lon.toFixed(5)}
          </span>
        </Row>
      )}
      {item.error !== null && (
        <div className="item-field-wide">
          <dt>{t('item.error')}</dt>
          <dd className="has-errors" data-testid="item-detail-error">
            {item.error}
          </dd>
        </div>
      )}
    </dl>
  );
}

/**
 * One item in words and digests, with each hash-set match explained. Never an image, thumbnail
 * or preview: this screen is for deciding what to do with an item without viewing it.
 */
export function ItemDetail({ client, itemId, scheme, version, onClose }: Props) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<ItemExplanation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    client.call('items.explain', { itemId }).then(
      (answer) => {
        if (!live) return;
        setDetail(answer);
        setError(null);
      },
      (caught: unknown) => {
        if (live) setError(caught);
      },
    );
    return () => {
      live = false;
    };
  }, [client, itemId, version]);

  // A newly chosen item: bring the panel into view and put the keyboard on it.
  useEffect(() => {
    const element = heading.current;
    if (!element) return;
    element.focus({ preventScroll: true });
    element.closest('section')?.scrollIntoView({ block: 'nearest' });
  }, [itemId]);

  const shown = detail?.item.id === itemId ? detail : null;
  return (
    <section className="card item-detail" aria-labelledby="item-detail-title" data-testid="item-detail" data-item-id={itemId}>
      <div className="card-head">
        <h2 id="item-detail-title" ref={heading} tabIndex={-1}>
          {t('item.title', { id: itemId })}
        </h2>
        <button type="button" className="card-close" onClick={onClose} data-testid="item-detail-close">
          {t('item.close')}
        </button>
      </div>
      <p className="readonly-note">{t('item.noImage')}</p>
      <ErrorAlert error={error} testId="item-detail-error-alert" />
      {shown === null && !error && <p className="muted">{t('app.loading')}</p>}
      {shown && (
        <>
          <Fields item={shown.item} scheme={scheme} />
          {shown.item.status === 'reviewed' && <p className="muted">{t('item.reviewedNote')}</p>}
          <h3>{t('item.matchesTitle')}</h3>
          {shown.matches.length === 0 ? (
            <p className="muted" data-testid="item-no-matches">
              {t('item.noMatches')}
            </p>
          ) : (
            <ul className="matches">
              {shown.matches.map((match) => (
                <Match key={`${match.hashset}-${match.entryId}-${match.method}`} match={match} scheme={scheme} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
