// The choices of the import form, in the order offered. The renderer takes only types from the
// contract, so the lists are repeated here; the checks below fail to compile if the contract
// gains a format, kind or scheme this list does not offer.
import type { HashSetFormatName, HashSetKind, MethodInput } from '../../../electron/api/contract';

type ImportScheme = NonNullable<MethodInput<'hashsets.import'>['scheme']>;

export const FORMATS = ['auto', 'vics', 'nsrl', 'md5', 'sha1', 'sha256', 'pdq', 'encase', 'hashkeeper', 'icse', 'csv'] as const satisfies readonly HashSetFormatName[];
export const KINDS = ['alert', 'ignorable'] as const satisfies readonly HashSetKind[];
export const IMPORT_SCHEMES = ['vics-us', 'caid-uk', 'none'] as const satisfies readonly ImportScheme[];

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const _everyFormat: Exhaustive<HashSetFormatName, (typeof FORMATS)[number]> = true;
const _everyKind: Exhaustive<HashSetKind, (typeof KINDS)[number]> = true;
const _everyScheme: Exhaustive<ImportScheme, (typeof IMPORT_SCHEMES)[number]> = true;

export function isFormat(value: string): value is HashSetFormatName {
  return (FORMATS as readonly string[]).includes(value);
}
