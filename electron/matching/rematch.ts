// Matching again what is already in the store: a case after new hash sets arrive (on demand,
// `custos case rematch`), or the items a removed set had matched. One transaction with its
// custody event, so a rematch is recorded whole or not at all.
import type { CaseView, RematchReport } from '../api/contract.js';
import type { Db } from '../store/database.js';
import { getCase } from '../store/repositories/cases.js';
import { listActiveSets } from '../store/repositories/hashsets.js';
import { matchableItems, matchableItemsById, type MatchableItem } from '../store/repositories/matches.js';
import { appendEvent } from '../custody/log.js';
import { caseMatching, matchItems, searchPerceptual, type MatchOutcome, type PerceptualHits } from './matcher.js';
import type { PerceptualHit } from './perceptual-index.js';

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

/** The perceptual hits of items searched a page at a time, gathered. */
class GatheredHits implements PerceptualHits {
  readonly pdq = new Map<number, readonly PerceptualHit[]>();
  readonly blockhash = new Map<number, readonly PerceptualHit[]>();

  add(page: PerceptualHits): void {
    for (const [id, hits] of page.pdq) this.pdq.set(id, hits);
    for (const [id, hits] of page.blockhash) this.blockhash.set(id, hits);
  }
}

export async function rematchCase(db: Db, c: CaseView, actor: string): Promise<RematchReport> {
  const rules = caseMatching(c);
  // Perceptual hashes first, off the engine's thread; then the whole rematch in one transaction.
  const perceptual = new GatheredHits();
  for (let after = 0; ; ) {
    const page = matchableItems(db, c.id, after, PAGE);
    if (page.length === 0) break;
    perceptual.add(await searchPerceptual(db, page, rules));
    after = page.at(-1)?.id ?? after;
  }
  return db.transaction(() => {
    const t: Tally = { items: 0, known: 0, ignorable: 0, changed: 0 };
    for (let after = 0; ; ) {
      const page: MatchableItem[] = matchableItems(db, c.id, after, PAGE);
      if (page.length === 0) break;
      tally(t, matchItems(db, page, rules, perceptual));
      after = page.at(-1)?.id ?? after;
    }
    appendEvent(db, {
      actor,
      action: 'case.rematch',
      subject: `case/${c.number}`,
      details: { ...t, pdqThreshold: c.pdqThreshold, blockhashThreshold: c.blockhashThreshold, hashsets: listActiveSets(db).map((s) => ({ id: s.id, name: s.name, entries: s.entries })) },
    });
    return { caseNumber: c.number, ...t };
  })();
}

export type PreparedRematch = { readonly groups: readonly { readonly caseView: CaseView; readonly ids: readonly number[]; readonly perceptual: PerceptualHits }[] };

/** The perceptual part of matching these items again, each under its own case's rules (before the transaction). */
export async function prepareRematch(db: Db, itemIds: readonly number[]): Promise<PreparedRematch> {
  const byCase = new Map<number, number[]>();
  for (let i = 0; i < itemIds.length; i += PAGE) {
    for (const item of matchableItemsById(db, itemIds.slice(i, i + PAGE))) byCase.set(item.caseId, [...(byCase.get(item.caseId) ?? []), item.id]);
  }
  const groups: { caseView: CaseView; ids: number[]; perceptual: PerceptualHits }[] = [];
  for (const [caseId, ids] of byCase) {
    const c = getCase(db, caseId);
    if (!c) continue;
    const perceptual = new GatheredHits();
    for (let i = 0; i < ids.length; i += PAGE) perceptual.add(await searchPerceptual(db, matchableItemsById(db, ids.slice(i, i + PAGE)), caseMatching(c)));
    groups.push({ caseView: c, ids, perceptual });
  }
  return { groups };
}

/** Matches the prepared items again (call inside a transaction). */
export function rematchItems(db: Db, prepared: PreparedRematch): Tally {
  const t: Tally = { items: 0, known: 0, ignorable: 0, changed: 0 };
  for (const { caseView: c, ids, perceptual } of prepared.groups) {
    for (let i = 0; i < ids.length; i += PAGE) tally(t, matchItems(db, matchableItemsById(db, ids.slice(i, i + PAGE)), caseMatching(c), perceptual));
  }
  return t;
}
