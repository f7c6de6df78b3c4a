// Matches between items and hash-set entries, and the status and category they give an item.
import type { HashSetKind, ItemStatus, MatchView, TriageView } from '../../api/contract.js';
import type { Db } from '../database.js';
import { statement } from '../statements.js';

export type MatchMethod = 'md5' | 'sha1' | 'sha256' | 'pdq' | 'blockhash';

export type NewMatch = {
  readonly itemId: number;
  readonly hashsetId: number;
  readonly entryId: number;
  readonly method: MatchMethod;
  readonly distance: number;
  readonly orientation: string | null;
  readonly category: string | null;
};

export function insertMatches(db: Db, matches: readonly NewMatch[]): void {
  const stmt = statement(
    db,
    `INSERT INTO item_matches (item_id, hashset_id, entry_id, method, distance, orientation, category) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (item_id, entry_id, method) DO UPDATE SET distance = excluded.distance, orientation = excluded.orientation, category = excluded.category`,
  );
  for (const m of matches) stmt.run(m.itemId, m.hashsetId, m.entryId, m.method, m.distance, m.orientation, m.category);
}

export function deleteMatchesOf(db: Db, itemId: number): number {
  return statement(db, 'DELETE FROM item_matches WHERE item_id = ?').run(itemId).changes;
}

export function setMatchOutcome(db: Db, itemId: number, status: ItemStatus, category: string | null): void {
  statement(db, 'UPDATE items SET status = ?, category = ? WHERE id = ?').run(status, category, itemId);
}

export type MatchableItem = {
  readonly id: number;
  readonly caseId: number;
  readonly status: ItemStatus;
  readonly category: string | null;
  readonly md5: Buffer | null;
  readonly sha1: Buffer | null;
  readonly sha256: Buffer | null;
  readonly pdqQuality: number | null;
  readonly pdqVariants: Buffer | null;
  readonly blockhash: Buffer | null;
};

const MATCHABLE_COLUMNS = 'id, case_id AS caseId, status, category, md5, sha1, sha256, pdq_quality AS pdqQuality, pdq_variants AS pdqVariants, blockhash';

/** Analysed items of a case, in id order and pages, as matching needs them. */
export function matchableItems(db: Db, caseId: number, afterId: number, limit: number): MatchableItem[] {
  return statement(
    db,
    `SELECT ${MATCHABLE_COLUMNS} FROM items
     WHERE case_id = ? AND analysis IN ('done', 'error') AND md5 IS NOT NULL AND id > ? ORDER BY id LIMIT ?`,
  ).all(caseId, afterId, limit) as MatchableItem[];
}

export function matchableItemsById(db: Db, ids: readonly number[]): MatchableItem[] {
  return statement(
    db,
    `SELECT ${MATCHABLE_COLUMNS} FROM items
     WHERE id IN (SELECT value FROM json_each(?)) AND md5 IS NOT NULL ORDER BY id`,
  ).all(JSON.stringify(ids)) as MatchableItem[];
}

/** Items with a match to a set (to be matched again when it is removed). */
export function itemsMatchedBy(db: Db, hashsetId: number): number[] {
  return (statement(db, 'SELECT DISTINCT item_id AS id FROM item_matches WHERE hashset_id = ? ORDER BY item_id').all(hashsetId) as { id: number }[]).map((r) => r.id);
}

export function setPdqVariants(db: Db, itemId: number, variants: Buffer | null): void {
  statement(db, 'UPDATE items SET pdq_variants = ? WHERE id = ?').run(variants, itemId);
}

export type MatchDetail = MatchView & {
  readonly itemId: number;
  readonly entryId: number;
  readonly kind: HashSetKind;
  readonly orientation: string | null;
};

export function matchesOfItems(db: Db, itemIds: readonly number[]): MatchDetail[] {
  return statement(
    db,
    `SELECT m.item_id AS itemId, m.entry_id AS entryId, h.name AS hashset, h.kind, m.method, m.distance, m.orientation, m.category
     FROM item_matches m JOIN hashsets h ON h.id = m.hashset_id
     WHERE m.item_id IN (SELECT value FROM json_each(?)) ORDER BY m.item_id, m.distance, h.name, m.method, m.entry_id`,
  ).all(JSON.stringify(itemIds)) as MatchDetail[];
}

export function triageCounts(db: Db, caseId: number): TriageView {
  const byStatus = statement(db, 'SELECT status, count(*) AS n FROM items WHERE case_id = ? GROUP BY status').all(caseId) as { status: ItemStatus; n: number }[];
  const errors = (statement(db, `SELECT count(*) AS n FROM items WHERE case_id = ? AND analysis = 'error'`).get(caseId) as { n: number }).n;
  const known = statement(
    db,
    `SELECT category, count(*) AS n FROM items WHERE case_id = ? AND status = 'known' GROUP BY category ORDER BY category`,
  ).all(caseId) as { category: string | null; n: number }[];
  const methods = statement(
    db,
    `SELECT m.method, count(DISTINCT m.item_id) AS n FROM item_matches m JOIN items i ON i.id = m.item_id
     WHERE i.case_id = ? GROUP BY m.method ORDER BY m.method`,
  ).all(caseId) as { method: MatchMethod; n: number }[];
  const exhibits = statement(
    db,
    `SELECT e.number AS exhibit, count(i.id) AS items, coalesce(sum(i.status = 'known'), 0) AS known, coalesce(sum(i.status = 'ignorable'), 0) AS ignorable
     FROM exhibits e LEFT JOIN items i ON i.exhibit_id = e.id WHERE e.case_id = ? GROUP BY e.id ORDER BY e.number`,
  ).all(caseId) as { exhibit: string; items: number; known: number; ignorable: number }[];
  const count = (s: ItemStatus) => byStatus.find((r) => r.status === s)?.n ?? 0;
  return {
    items: byStatus.reduce((sum, r) => sum + r.n, 0),
    known: count('known'),
    ignorable: count('ignorable'),
    unreviewed: count('unreviewed'),
    reviewed: count('reviewed'),
    errors,
    knownByCategory: known.map((r) => ({ category: r.category, items: r.n })),
    byMethod: methods.map((r) => ({ method: r.method, items: r.n })),
    byExhibit: exhibits,
  };
}
