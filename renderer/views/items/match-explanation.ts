// A match of an item against a hash-set entry, put into words for the item detail: how it
// matched (identical, or visually similar at a distance and orientation), what the set's kind
// does to the item, and how the entry's category was carried into the case's scheme. The
// engine decides all of it; this only says what it decided.
import type { TFunction } from 'i18next';
import type { Locale, MatchExplanation, MatchView, Scheme } from '../../../electron/api/contract';
import { categoryLabel, isCaseScheme } from '../../i18n/categories';

const METHOD_NAMES: Readonly<Record<MatchView['method'], string>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  pdq: 'PDQ',
  blockhash: 'blockhash',
};

// Both perceptual hashes the engine computes are 256 bits long.
const PERCEPTUAL_BITS = 256;

/** PDQ's eight dihedral variants, in the reference's order. */
const ORIENTATIONS = ['original', 'rot90', 'rot180', 'rot270', 'flipX', 'flipY', 'flipPlus1', 'flipMinus1'] as const;
type Orientation = (typeof ORIENTATIONS)[number];

function isOrientation(value: string | null): value is Orientation {
  return value !== null && (ORIENTATIONS as readonly string[]).includes(value);
}

export function methodName(method: MatchView['method']): string {
  return METHOD_NAMES[method];
}

export function isExact(method: MatchView['method']): boolean {
  return method === 'md5' || method === 'sha1' || method === 'sha256';
}

export type ExplainedMatch = {
  /** "Identical to entry 1234 of “unit VICS” (MD5)." */
  readonly how: string;
  /** What a match in a set of this kind does to the item. */
  readonly effect: string;
  /** The category and how it reached the case's scheme; null when the set grades nothing (ignorable sets). */
  readonly category: string | null;
  /** True when the entry's category could not be carried into the case: a reviewer must grade. */
  readonly needsGrading: boolean;
  /** Series, victim identification, PhotoDNA: what else the entry says. */
  readonly details: readonly string[];
};

function how(m: MatchExplanation, t: TFunction): string {
  const base = { entry: m.entryId, set: m.hashset, method: methodName(m.method) };
  if (isExact(m.method)) return t('explain.identical', base);
  const values = { ...base, distance: m.distance, bits: PERCEPTUAL_BITS };
  if (!isOrientation(m.orientation)) return t('explain.similar', values);
  return t('explain.similarOriented', { ...values, orientation: t(`explain.orientation.${m.orientation}`) });
}

function schemeName(scheme: string, t: TFunction): string {
  return isCaseScheme(scheme) ? t(`schemes.${scheme}`) : t('hashsets.schemeNone');
}

function category(m: MatchExplanation, caseScheme: Scheme, t: TFunction, locale: Locale): { text: string | null; needsGrading: boolean } {
  const inCase = m.category === null ? null : (categoryLabel(caseScheme, m.category, locale) ?? m.category);
  if (m.setCategory === null) {
    // Ignorable sets carry no grade and need none.
    if (m.kind === 'ignorable') return { text: null, needsGrading: false };
    return { text: t('explain.categoryNone'), needsGrading: true };
  }
  const code = String(m.setCategory);
  if (!isCaseScheme(m.setScheme) && inCase === null) return { text: t('explain.categoryNoScheme', { code }), needsGrading: true };
  const fromLabel = categoryLabel(m.setScheme, code, locale) ?? t('explain.code', { code });
  if (m.setScheme === caseScheme) {
    return inCase === null
      ? { text: t('explain.categoryNotInScheme', { from: fromLabel, scheme: schemeName(caseScheme, t) }), needsGrading: true }
      : { text: t('explain.categorySame', { label: inCase }), needsGrading: false };
  }
  const fromScheme = schemeName(m.setScheme, t);
  if (inCase !== null) return { text: t('explain.categoryMapped', { from: fromLabel, fromScheme, to: inCase }), needsGrading: false };
  return { text: t('explain.categoryUnmapped', { from: fromLabel, fromScheme }), needsGrading: true };
}

function details(m: MatchExplanation, t: TFunction): string[] {
  const out: string[] = [];
  if (m.series !== null) out.push(t('explain.series', { series: m.series }));
  if (m.victimIdentified === true) out.push(t('explain.victimIdentified'));
  if (m.victimIdentified === false) out.push(t('explain.victimNotIdentified'));
  if (m.hasPhotoDna) out.push(t('explain.photoDna'));
  return out;
}

export function explainMatch(m: MatchExplanation, caseScheme: Scheme, t: TFunction, locale: Locale): ExplainedMatch {
  const graded = category(m, caseScheme, t, locale);
  return {
    how: how(m, t),
    effect: t(m.kind === 'alert' ? 'explain.effectAlert' : 'explain.effectIgnorable', { set: m.hashset }),
    category: graded.text,
    needsGrading: graded.needsGrading,
    details: details(m, t),
  };
}
