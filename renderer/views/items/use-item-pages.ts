import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemStatus, ItemView } from '../../../electron/api/contract';
import type { ApiClient } from '../../api/client';

export const PAGE_SIZE = 200;
// 50 pages = 10 000 items held at most, however far the list is scrolled.
const MAX_PAGES = 50;

type Page = { readonly generation: number; readonly items: readonly ItemView[] };
type Range = { readonly first: number; readonly last: number };

export type ItemPages = {
  /** Items in the list under the current filter; null until the first page arrives. */
  readonly total: number | null;
  readonly error: unknown;
  /** The item at a row, or null while its page is on its way. */
  itemAt(index: number): ItemView | null;
  /** Rows on screen: fetches the pages they need that are missing or stale. */
  show(first: number, last: number): void;
};

function pageOf(index: number): number {
  return Math.floor(Math.max(0, index) / PAGE_SIZE);
}

/** Keeps the cache bounded by dropping the pages farthest from what is on screen. */
function evictFarPages(pages: Map<number, Page>, shown: Range): void {
  if (pages.size <= MAX_PAGES) return;
  const centre = pageOf((shown.first + shown.last) / 2);
  const farthestFirst = [...pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
  for (const page of farthestFirst.slice(0, pages.size - MAX_PAGES)) pages.delete(page);
}

/**
 * `items.list` one page at a time, on demand, for a virtual list of any length. A new filter
 * starts from nothing; a refresh (a new `version`) keeps showing the pages it has until their
 * fresh copies arrive, so a list refreshed while an ingest runs does not blink.
 */
export function useItemPages(client: ApiClient, caseNumber: string, status: ItemStatus | null, version: number): ItemPages {
  const pages = useRef(new Map<number, Page>());
  // Page index -> generation being fetched, so one page is never asked for twice at once.
  const loading = useRef(new Map<number, number>());
  // Bumped by every filter change and every refresh; pages remember the one they were fetched in.
  const generation = useRef(0);
  // The generation at which the current filter began: answers from before it belong to another list.
  const filterStart = useRef(0);
  const shown = useRef<Range>({ first: 0, last: 0 });
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Pages live in a ref (rows read them by index); this only asks React to draw again.
  const [, setLanded] = useState(0);

  const fetchPage = useCallback(
    (index: number) => {
      const asked = generation.current;
      if (loading.current.get(index) === asked) return;
      loading.current.set(index, asked);
      const input = { caseNumber, offset: index * PAGE_SIZE, limit: PAGE_SIZE, ...(status ? { status } : {}) };
      client.call('items.list', input).then(
        (page) => {
          if (loading.current.get(index) === asked) loading.current.delete(index);
          if (asked < filterStart.current) return;
          if ((pages.current.get(index)?.generation ?? -1) > asked) return;
          pages.current.set(index, { generation: asked, items: page.items });
          evictFarPages(pages.current, shown.current);
          setTotal(page.total);
          setError(null);
          setLanded((n) => n + 1);
        },
        (caught: unknown) => {
          if (loading.current.get(index) === asked) loading.current.delete(index);
          if (asked >= filterStart.current) setError(caught);
        },
      );
    },
    [client, caseNumber, status],
  );

  const refetchShown = useCallback(() => {
    const { first, last } = shown.current;
    for (let page = pageOf(first); page <= pageOf(last); page += 1) {
      if (pages.current.get(page)?.generation !== generation.current) fetchPage(page);
    }
  }, [fetchPage]);

  // A new case or filter (fetchPage changes with them): start from an empty list.
  useEffect(() => {
    generation.current += 1;
    filterStart.current = generation.current;
    pages.current = new Map();
    loading.current = new Map();
    shown.current = { first: 0, last: 0 };
    setTotal(null);
    setError(null);
    fetchPage(0);
  }, [fetchPage]);

  // A refresh: what is on screen is fetched again (page 0 too, for a list that was empty).
  const seenVersion = useRef(version);
  useEffect(() => {
    if (version === seenVersion.current) return;
    seenVersion.current = version;
    generation.current += 1;
    refetchShown();
  }, [version, refetchShown]);

  const itemAt = useCallback((index: number) => pages.current.get(pageOf(index))?.items[index % PAGE_SIZE] ?? null, []);

  const show = useCallback(
    (first: number, last: number) => {
      shown.current = { first, last };
      refetchShown();
    },
    [refetchShown],
  );

  return { total, error, itemAt, show };
}
