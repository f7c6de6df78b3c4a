// Matching again what is already in the store: a case after new hash sets arrive (on demand,
// `custos case rematch`), or the items a removed set had matched. One transaction with its
// custody event, so a rematch is recorded whole or not at all.
import type { CaseView, RematchReport } from '../api/contract.js';
import type { Db } from '../store/database.js';
import { getCase } from '../store/repositories/cases.js';
import { listActiveSets } from '../store/repositories/hashsets.js';
import { matchableItems, matchableItemsById, type MatchableItem } from '../store/repositories/matches.js';
import { appendEvent } from '../custody/log.js';
import { matchItems, searchPdq, type MatchOutcome, type PdqHits } from './matcher.js';
import type { PdqHit } from './perceptual-index.js';

const PAGE = 1000;

type Tally = { items: number; known: number; ignorable: number; changed: number };

function tally(into: Tally, outcomes: readonly MatchOutcome[]): void {
  for (const o of outcomes) {
    into.items++;
    if (o.status === 'known') into.known++;
    if (o.status === 'ignorable') into.ignorable++;
    if (o.changed) into.changed++;
  }
}

export async function rematchCase(db: Db, c: CaseView, actor: string): Promise<RematchReport> {
  const rules = { scheme: c.scheme, pdqThreshold: c.pdqThreshold };
  // PDQ first, off the engine's thread; then the whole rematch in one transaction.
  const pdq = new Map<number, readonly PdqHit[]>();
  for (let after = 0; ; ) {
    const page = matchableItems(db, c.id, after, PAGE);
    if (page.length === 0) break;
    for (const [id, hits] of await searchPdq(db, page, rules)) pdq.set(id, hits);
    after = page.at(-1)?.id ?? after;
  }
  return db.transaction(() => {
    const t: Tally = { items: 0, known: 0, ignorable: 0, changed: 0 };
    for (let after = 0; ; ) {
      const page: MatchableItem[] = matchableItems(db, c.id, after, PAGE);
      if (page.length === 0) break;
      tally(t, matchItems(db, page, rules, pdq));
      after = page.at(-1)?.id ?? after;
    }
    appendEvent(db, {
      actor,
      action: 'case.rematch',
      subject: `case/${c.number}`,
      details: { ...t, pdqThreshold: c.pdqThreshold, hashsets: listActiveSets(db).map((s) => ({ id: s.id, name: s.name, entries: s.entries })) },
    });
    return { caseNumber: c.number, ...t };
  })();
}

export type PreparedRematch = { readonly groups: readonly { readonly caseView: CaseView; readonly ids: readonly number[]; readonly pdq: PdqHits }[] };

/** The PDQ part of matching these items again, each under its own case's rules (before the transaction). */
export async function prepareRematch(db: Db, itemIds: readonly number[]): Promise<PreparedRematch> {
  const byCase = new Map<number, number[]>();
  for (let i = 0; i < itemIds.length; i += PAGE) {
    for (const item of matchableItemsById(db, itemIds.slice(i, i + PAGE))) byCase.set(item.caseId, [...(byCase.get(item.caseId) ?? []), item.id]);
  }
  const groups: { caseView: CaseView; ids: number[]; pdq: PdqHits }[] = [];
  for (const [caseId, ids] of byCase) {
    const c = getCase(db, caseId);
    if (!c) continue;
    const rules = { scheme: c.scheme, pdqThreshold: c.pdqThreshold };
    const pdq = new Map<number, readonly PdqHit[]>();
    for (let i = 0; i < ids.length; i += PAGE) {
      for (const [id, hits] of await searchPdq(db, matchableItemsById(db, ids.slice(i, i + PAGE)), rules)) pdq.set(id, hits);
    }
    groups.push({ caseView: c, ids, pdq });
  }
  return { groups };
}

/** Matches the prepared items again (call inside a transaction). */
export function rematchItems(db: Db, prepared: PreparedRematch): Tally {
  const t: Tally = { items: 0, known: 0, ignorable: 0, changed: 0 };
  for (const { caseView: c, ids, pdq } of prepared.groups) {
    for (let i = 0; i < ids.length; i += PAGE) {
      tally(t, matchItems(db, matchableItemsById(db, ids.slice(i, i + PAGE)), { scheme: c.scheme, pdqThreshold: c.pdqThreshold }, pdq));
    }
  }
  return t;
}
