// Category schemes (resources/category-schemes.json): which categories a case grades in, their
// order of severity, and how a hash set's category is carried into a case's scheme. A mapping
// is made only where it is unambiguous; anything else is left for a reviewer to grade, never
// guessed, because a category decides what a prosecutor charges.
import schemesFile from '../../resources/category-schemes.json' with { type: 'json' };
import type { Scheme } from '../api/contract.js';

type CategoryDef = { readonly code: string; readonly class: string; readonly label: { readonly en: string; readonly es: string } };
type SchemeDef = {
  readonly label: { readonly en: string; readonly es: string };
  readonly categories: readonly CategoryDef[];
  readonly broader?: Readonly<Record<string, string>>;
};

const SCHEMES = schemesFile.schemes as unknown as Readonly<Record<Scheme, SchemeDef>>;

export function categoriesOf(scheme: Scheme): readonly CategoryDef[] {
  return SCHEMES[scheme].categories;
}

/** 0 is the most severe; null for a code the scheme does not have. */
export function severity(scheme: Scheme, code: string): number | null {
  const i = SCHEMES[scheme].categories.findIndex((c) => c.code === code);
  return i < 0 ? null : i;
}

/** The most severe of several codes of one scheme (unknown codes count as least severe). */
export function mostSevere(scheme: Scheme, codes: readonly string[]): string | null {
  let best: string | null = null;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const code of codes) {
    const rank = severity(scheme, code) ?? Number.MAX_SAFE_INTEGER;
    if (best === null || rank < bestRank) {
      best = code;
      bestRank = rank;
    }
  }
  return best;
}

function classOf(scheme: Scheme, code: string): string | null {
  return SCHEMES[scheme].categories.find((c) => c.code === code)?.class ?? null;
}

/**
 * A category of one scheme in another: the same code within a scheme; across schemes the one
 * category with the same class, or the one the finer scheme names as broader. Null when there
 * is no single answer.
 */
export function mapCategory(code: string, from: Scheme, to: Scheme): string | null {
  if (from === to) return severity(to, code) === null ? null : code;
  const cls = classOf(from, code);
  if (cls === null) return null;
  const target = SCHEMES[to];
  const candidates = new Set([cls, SCHEMES[from].broader?.[cls]].filter((c): c is string => c !== undefined));
  const hits = target.categories.filter((c) => candidates.has(c.class));
  return hits.length === 1 ? (hits[0]?.code ?? null) : null;
}

export function isScheme(value: string): value is Scheme {
  return value in SCHEMES;
}
