// Matching an item against every active hash set: exact MD5 / SHA-1 / SHA-256 always, then PDQ
// (all 8 dihedral variants of the item, within the case's distance, quality >= 50 on both
// sides), then blockhash where the case turns it on (the image as it is: blockhash has no
// dihedral variants, and no quality). An alert match makes the item `known` with the most severe
// category among its matches; an ignorable match alone makes it `ignorable`. A reviewer's
// decision (`reviewed`) is never overwritten: its matches are recorded, its status stays.
import type { CaseView, ItemStatus, Scheme } from '../api/contract.js';
import type { Db } from '../store/database.js';
import { entryInfo, listActiveSets } from '../store/repositories/hashsets.js';
import { exactHits } from './hashset-keys.js';
import { deleteMatchesOf, insertMatches, setMatchOutcome, type MatchableItem, type NewMatch } from '../store/repositories/matches.js';
import { DIHEDRAL_NAMES } from '../analysis/pdq.js';
import { isScheme, mapCategory, mostSevere } from '../review/category-schemes.js';
import { perceptualIndexOf, type PerceptualHit } from './perceptual-index.js';
import type { PerceptualMethod } from '../store/repositories/hashsets.js';

/** The design's rule: PDQ matches only where both hashes have at least this quality. */
export const MIN_PDQ_QUALITY = 50;

/** A case's matching rules; blockhashThreshold null: no blockhash matching. */
export type CaseMatching = { readonly scheme: Scheme; readonly pdqThreshold: number; readonly blockhashThreshold: number | null };

export const caseMatching = (c: CaseView): CaseMatching => ({ scheme: c.scheme, pdqThreshold: c.pdqThreshold, blockhashThreshold: c.blockhashThreshold });

export type MatchOutcome = { readonly itemId: number; readonly status: ItemStatus; readonly category: string | null; readonly changed: boolean };

type SetInfo = { readonly kind: 'alert' | 'ignorable'; readonly scheme: string };

/** Each item's perceptual hits (by item id), per method. */
export type PerceptualHits = { readonly pdq: ReadonlyMap<number, readonly PerceptualHit[]>; readonly blockhash: ReadonlyMap<number, readonly PerceptualHit[]> };

const NO_PERCEPTUAL_HITS: PerceptualHits = { pdq: new Map(), blockhash: new Map() };

type PerceptualItem = Pick<MatchableItem, 'id' | 'pdqQuality' | 'pdqVariants' | 'blockhash'>;

/** Each item's hits in one perceptual index; `codes` holds its `variants` codes of 32 bytes. */
async function searchIndex(
  db: Db,
  method: PerceptualMethod,
  queries: readonly { readonly id: number; readonly codes: Buffer }[],
  o: { readonly variants: 1 | 8; readonly maxDistance: number; readonly minQuality: number },
): Promise<ReadonlyMap<number, readonly PerceptualHit[]>> {
  if (queries.length === 0) return new Map();
  const hits = await (await perceptualIndexOf(db, method)).search(queries.map((q) => q.codes), o);
  return new Map(queries.map((q, k) => [q.id, hits[k] ?? []]));
}

/**
 * The PDQ and blockhash hits of each item, searched before the transaction that records them so
 * the search (on the addon's thread) never holds the store. Items without variants or below the
 * quality floor get no PDQ hits; blockhash is searched only where the case turns it on.
 */
export async function searchPerceptual(db: Db, items: readonly PerceptualItem[], c: CaseMatching): Promise<PerceptualHits> {
  if (items.length === 0 || listActiveSets(db).length === 0) return NO_PERCEPTUAL_HITS;
  const pdq = items.flatMap((i) => (i.pdqVariants !== null && i.pdqVariants.length === 8 * 32 && (i.pdqQuality ?? 0) >= MIN_PDQ_QUALITY ? [{ id: i.id, codes: i.pdqVariants }] : []));
  const threshold = c.blockhashThreshold;
  const blockhash = threshold === null ? [] : items.flatMap((i) => (i.blockhash !== null && i.blockhash.length === 32 ? [{ id: i.id, codes: i.blockhash }] : []));
  return {
    pdq: await searchIndex(db, 'pdq', pdq, { variants: 8, maxDistance: c.pdqThreshold, minQuality: MIN_PDQ_QUALITY }),
    blockhash: threshold === null ? new Map() : await searchIndex(db, 'blockhash', blockhash, { variants: 1, maxDistance: threshold, minQuality: 0 }),
  };
}

/**
 * Matches a batch of items and records the result, replacing earlier matches of these items.
 * Call inside the transaction that records the items' analysis (or the rematch's), so an item
 * is never left analysed but unmatched; `perceptual` comes from searchPerceptual on the same items.
 */
export function matchItems(db: Db, items: readonly MatchableItem[], c: CaseMatching, perceptual: PerceptualHits): MatchOutcome[] {
  if (items.length === 0) return [];
  const sets = new Map<number, SetInfo>(listActiveSets(db).map((s) => [s.id, { kind: s.kind, scheme: s.scheme }]));
  const hitEntries = [...perceptual.pdq.values(), ...perceptual.blockhash.values()].flat().map((h) => h.entryId);
  const perceptualEntryInfo = new Map(entryInfo(db, [...new Set(hitEntries)]).map((e) => [e.id, e]));

  return items.map((item) => {
    const found: NewMatch[] = [];
    const carry = (setId: number, category: number | null) => categoryIn(category, sets.get(setId), c.scheme);
    for (const method of ['md5', 'sha1', 'sha256'] as const) {
      const digest = item[method];
      if (digest === null) continue;
      for (const hit of exactHits(db, method, digest)) {
        found.push({ itemId: item.id, hashsetId: hit.hashsetId, entryId: hit.entryId, method, distance: 0, orientation: null, category: carry(hit.hashsetId, hit.category) });
      }
    }
    for (const method of ['pdq', 'blockhash'] as const) {
      for (const hit of perceptual[method].get(item.id) ?? []) {
        const entry = perceptualEntryInfo.get(hit.entryId);
        // An index built before a set was removed may still hold its entries.
        if (!entry || !sets.has(entry.hashsetId)) continue;
        found.push({
          itemId: item.id,
          hashsetId: entry.hashsetId,
          entryId: entry.id,
          method,
          distance: hit.distance,
          // Blockhash is searched for the image as it is: no orientation to tell.
          orientation: method === 'pdq' ? (DIHEDRAL_NAMES[hit.variant] ?? null) : null,
          category: carry(entry.hashsetId, entry.category),
        });
      }
    }
    deleteMatchesOf(db, item.id);
    insertMatches(db, found);
    return settle(db, item, found, sets, c.scheme);
  });
}

function categoryIn(code: number | null, set: SetInfo | undefined, scheme: Scheme): string | null {
  if (code === null || set === undefined || !isScheme(set.scheme)) return null;
  return mapCategory(String(code), set.scheme, scheme);
}

function settle(db: Db, item: MatchableItem, found: readonly NewMatch[], sets: Map<number, SetInfo>, scheme: Scheme): MatchOutcome {
  const alerts = found.filter((m) => sets.get(m.hashsetId)?.kind === 'alert');
  let status: ItemStatus = 'unreviewed';
  let category: string | null = null;
  if (alerts.length > 0) {
    status = 'known';
    category = mostSevere(scheme, alerts.flatMap((m) => (m.category === null ? [] : [m.category])));
  } else if (found.length > 0) {
    status = 'ignorable';
  }
  if (item.status === 'reviewed') return { itemId: item.id, status: 'reviewed', category: item.category, changed: false };
  const changed = status !== item.status || category !== item.category;
  if (changed) setMatchOutcome(db, item.id, status, category);
  return { itemId: item.id, status, category, changed };
}
