// Handlers of the matching part of the contract: hash sets (import in the background with
// progress events, list, remove), case triage and rematch, and a match explained.
import { appendEvent } from '../custody/log.js';
import { CustosError } from '../store/errors.js';
import { setBlockhashThreshold, setPdqThreshold } from '../store/repositories/cases.js';
import { entryDetails, findActiveSet, listActiveSets, markRemoved } from '../store/repositories/hashsets.js';
import { getItem } from '../store/repositories/items.js';
import { itemsMatchedBy, matchesOfItems, triageCounts } from '../store/repositories/matches.js';
import { HashSetImportRun, purgeHashSets } from '../matching/hashset-import.js';
import { prepareRematch, rematchCase, rematchItems } from '../matching/rematch.js';
import type { CaseView, HashSetImportView, MatchExplanation, MethodName } from './contract.js';
import type { Db } from '../store/database.js';
import { caseNamed, openSession, type Handlers, type ServiceContext } from './service-context.js';

type MatchingMethods =
  | 'items.explain'
  | 'cases.triage'
  | 'cases.rematch'
  | 'cases.setPdqThreshold'
  | 'cases.setBlockhashThreshold'
  | 'hashsets.list'
  | 'hashsets.import'
  | 'hashsets.importStatus'
  | 'hashsets.remove';

/** Changes one of a case's matching rules with its case.update event (what it was, what it is), in one transaction. */
function setCaseRule<K extends 'pdqThreshold' | 'blockhashThreshold'>(
  ctx: ServiceContext,
  caseNumber: string,
  rule: K,
  to: CaseView[K],
  write: (db: Db, caseId: number, to: CaseView[K]) => void,
): CaseView {
  const s = openSession(ctx);
  const c = caseNamed(s, caseNumber);
  s.db.transaction(() => {
    write(s.db, c.id, to);
    appendEvent(s.db, { actor: s.user.name, action: 'case.update', subject: `case/${c.number}`, details: { [rule]: { from: c[rule], to } } });
  })();
  return caseNamed(s, caseNumber);
}

let nextImportId = 1;

/** Abandons every running import (lock, shutdown); each leaves the store as it was. */
export async function stopAllImports(ctx: ServiceContext, reason: string): Promise<void> {
  await Promise.all([...ctx.imports.values()].map((run) => run.stop(reason).catch(() => undefined)));
}

export const matchingHandlers: Pick<Handlers, Extract<MethodName, MatchingMethods>> = {
  'hashsets.list': (ctx) => listActiveSets(openSession(ctx).db),

  'hashsets.import': async (ctx, { path, name, format, kind, scheme }) => {
    const s = openSession(ctx);
    const run = await HashSetImportRun.start(s.db, nextImportId++, { path, name, format, kind, scheme, actor: s.user.name }, ctx.emit);
    ctx.imports.set(run.importId, run);
    void run.finished.catch(() => undefined);
    return run.view();
  },

  'hashsets.importStatus': (ctx, { importId }): HashSetImportView => {
    openSession(ctx);
    const run = ctx.imports.get(importId);
    if (!run) throw new CustosError('not-found', `no hash-set import ${importId} in this session`);
    return run.view();
  },

  'hashsets.remove': async (ctx, { name }) => {
    const s = openSession(ctx);
    const set = findActiveSet(s.db, name);
    if (!set) throw new CustosError('not-found', `no hash set '${name}'`);
    // Items it had matched are matched again without it, so no status rests on a removed set
    // (its PDQ hits are dropped inside the transaction, once it is no longer active).
    const prepared = await prepareRematch(s.db, itemsMatchedBy(s.db, set.id));
    s.db.transaction(() => {
      markRemoved(s.db, set.id, new Date().toISOString());
      const rematched = rematchItems(s.db, prepared);
      appendEvent(s.db, {
        actor: s.user.name,
        action: 'hashset.remove',
        subject: `hashset/${set.id}`,
        details: { name, entries: set.entries, sourceSha256: set.sourceSha256, rematched },
      });
    })();
    purgeHashSets(s.db);
    return set;
  },

  'cases.triage': (ctx, { caseNumber }) => {
    const s = openSession(ctx);
    return triageCounts(s.db, caseNamed(s, caseNumber).id);
  },

  'cases.rematch': (ctx, { caseNumber }) => {
    const s = openSession(ctx);
    return rematchCase(s.db, caseNamed(s, caseNumber), s.user.name);
  },

  'cases.setPdqThreshold': (ctx, { caseNumber, threshold }) => setCaseRule(ctx, caseNumber, 'pdqThreshold', threshold, setPdqThreshold),

  'cases.setBlockhashThreshold': (ctx, { caseNumber, threshold }) => setCaseRule(ctx, caseNumber, 'blockhashThreshold', threshold, setBlockhashThreshold),

  'items.explain': (ctx, { itemId }) => {
    const s = openSession(ctx);
    const item = getItem(s.db, itemId);
    if (!item) throw new CustosError('not-found', `no item ${itemId}`);
    const matches = matchesOfItems(s.db, [itemId]);
    const entries = new Map(entryDetails(s.db, matches.map((m) => m.entryId)).map((e) => [e.id, e]));
    const explained = matches.map((m): MatchExplanation => {
      const e = entries.get(m.entryId);
      const hash = e ? e[m.method] : null;
      return {
        hashset: m.hashset,
        kind: m.kind,
        entryId: m.entryId,
        method: m.method,
        distance: m.distance,
        orientation: m.orientation,
        setCategory: e?.category ?? null,
        setScheme: e?.hashsetScheme ?? 'none',
        category: m.category,
        series: e?.series ?? null,
        victimIdentified: e?.victimIdentified === null || e?.victimIdentified === undefined ? null : e.victimIdentified === 1,
        hasPhotoDna: (e?.photodna ?? null) !== null,
        entryHash: hash ? hash.toString('hex') : null,
      };
    });
    const { caseId: _caseId, ...view } = item;
    return { item: view, matches: explained };
  },
};
