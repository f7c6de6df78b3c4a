// Category labels of the schemes a case can grade in, straight from resources/category-schemes.json
// (static configuration the engine reads too), so a label never differs between CLI, engine and UI.
// Only the labels are used here: mapping between schemes is the engine's, and arrives as data.
import type { Locale, Scheme } from '../../electron/api/contract';
import schemesFile from '../../resources/category-schemes.json';

type Labels = { readonly en: string; readonly es: string };
type SchemeLabels = { readonly categories: readonly { readonly code: string; readonly label: Labels }[] };

const SCHEMES: Readonly<Record<Scheme, SchemeLabels>> = schemesFile.schemes;

export function isCaseScheme(value: string): value is Scheme {
  return Object.hasOwn(SCHEMES, value);
}

/** The codes of a scheme, most severe first. */
export function categoryCodes(scheme: Scheme): readonly string[] {
  return SCHEMES[scheme].categories.map((c) => c.code);
}

/** "1 - Child sexual abuse material"; null for a scheme or code the file does not have. */
export function categoryLabel(scheme: string, code: string, locale: Locale): string | null {
  if (!isCaseScheme(scheme)) return null;
  return SCHEMES[scheme].categories.find((c) => c.code === code)?.label[locale] ?? null;
}
