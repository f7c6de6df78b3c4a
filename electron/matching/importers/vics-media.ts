// One VICS media record (1.1-1.3 and 2.0) as entries. Fields the importer interprets (hashes,
// Category, Series, VictimIdentified, MediaSize) must be readable or the record is malformed as a
// whole: a hash set is not half-imported record by record. Other scalar fields are kept in `extra`
// under their own names, flags and numbers normalised where the schema says what they are.
//
// One entry per distinct hash-bearing record: the media itself, plus each MediaFile whose digests
// differ from the media's (VICS keys MediaFiles by the media's MD5, so in a conforming file they are
// the same file seen at other paths and add no entry; they give the entry its file name).
import type { EntryTarget } from './entry-sink.js';
import { entryOf, type ImportedEntry } from './types.js';
import { DIGEST_BYTES, flag, hexDigest, isBlank, pdqQuality, shown, text, wholeNumber } from './values.js';

type Json = Record<string, unknown>;

/** Fields mapped onto the entry (or navigation collections): not repeated in `extra`. */
const MAPPED = new Set(['MD5', 'SHA1', 'SHA256', 'PhotoDNA', 'PDQ', 'PDQQuality', 'Category', 'Series', 'VictimIdentified', 'MediaSize']);
/** Schema booleans (Edm.Boolean) that writers also give as strings. */
const FLAGS = new Set(['IsPrecategorized', 'IsDistributed', 'OffenderIdentified', 'IsSuspected', 'SelfGenerated']);
/** Schema integers. */
const NUMBERS = new Set(['MediaID']);

class Malformed extends Error {}

function digest(record: Json, field: string, bytes: number, where: string): Buffer | null {
  const value = record[field];
  if (isBlank(value)) return null;
  const raw = typeof value === 'string' ? hexDigest(value.trim(), bytes) : null;
  if (raw === null) throw new Malformed(`${where}${field} ${shown(value)} is not ${bytes * 2} hex digits`);
  return raw;
}

function checked<T>(value: T | undefined, where: string, field: string, raw: unknown, what: string): T {
  if (value === undefined) throw new Malformed(`${where}${field} ${shown(raw)} is not ${what}`);
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type AltHashes = {
  sha1: Buffer | null;
  sha256: Buffer | null;
  pdq: Buffer | null;
  pdqQuality: number | null;
  blockhash: Buffer | null;
  photoDna: string | null;
  others: Json[] | null;
};

type AltKind = 'photodna' | 'pdq' | 'sha1' | 'sha256' | 'blockhash';

const ALT_KINDS = new Map<string, AltKind>([
  ['photodna', 'photodna'],
  ['pdq', 'pdq'],
  ['sha1', 'sha1'],
  ['sha256', 'sha256'],
  ['blockhash', 'blockhash'],
]);
/** The spellings writers use, looked up before any normalising. */
const ALT_NAMES = new Map<string, AltKind>([
  ['PhotoDNA', 'photodna'],
  ['PDQ', 'pdq'],
  ['SHA1', 'sha1'],
  ['SHA256', 'sha256'],
  ['Blockhash', 'blockhash'],
]);

function altKind(name: unknown): AltKind | undefined {
  if (typeof name !== 'string') return undefined;
  return ALT_NAMES.get(name) ?? ALT_KINDS.get(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

const NO_ALTERNATIVES: AltHashes = Object.freeze({ sha1: null, sha256: null, pdq: null, pdqQuality: null, blockhash: null, photoDna: null, others: null });

/** AlternativeHashes: [{ HashName, HashValue }]: PhotoDNA, PDQ (hex, or 'hex,quality'), SHA1 / SHA256, blockhash; others kept as given. */
function alternativeHashes(value: unknown, where: string): AltHashes {
  if (!Array.isArray(value) || value.length === 0) return NO_ALTERNATIVES;
  const out: AltHashes = { sha1: null, sha256: null, pdq: null, pdqQuality: null, blockhash: null, photoDna: null, others: null };
  for (const alt of value) {
    if (!isObject(alt)) continue;
    const hashValue = alt.HashValue;
    if (isBlank(hashValue)) continue;
    const kind = altKind(alt.HashName);
    if (kind === 'photodna') out.photoDna = checked(text(hashValue), where, 'AlternativeHashes PhotoDNA', hashValue, 'text');
    else if (kind === 'pdq' && typeof hashValue === 'string' && hashValue.length === 64) {
      out.pdq = checked(hexDigest(hashValue, 32) ?? undefined, where, 'AlternativeHashes PDQ', hashValue, '64 hex digits');
    } else if (kind === 'pdq') {
      const given = String(hashValue).trim();
      const cut = given.search(/[,:;]/);
      out.pdq = checked(hexDigest(cut < 0 ? given : given.slice(0, cut).trim(), 32) ?? undefined, where, 'AlternativeHashes PDQ', hashValue, '64 hex digits');
      if (cut >= 0) out.pdqQuality = checked(pdqQuality(given.slice(cut + 1)), where, 'AlternativeHashes PDQ', hashValue, 'a PDQ hash with a quality 0-100');
    } else if (kind === 'sha1' || kind === 'sha256' || kind === 'blockhash') {
      const bytes = DIGEST_BYTES[kind];
      const raw = typeof hashValue === 'string' ? hexDigest(hashValue.trim(), bytes) : null;
      out[kind] = checked(raw ?? undefined, where, `AlternativeHashes ${kind === 'blockhash' ? kind : kind.toUpperCase()}`, hashValue, `${bytes * 2} hex digits`);
    } else (out.others ??= []).push({ HashName: alt.HashName, HashValue: hashValue });
  }
  return out;
}

function extraOf(media: Json, others: readonly Json[] | null): Json | null {
  let extra: Json | null = null;
  for (const key in media) {
    if (MAPPED.has(key) || key.includes('@') || key.startsWith('odata.')) continue;
    let value = media[key];
    if (value === null || value === undefined || typeof value === 'object' || value === '') continue;
    if (FLAGS.has(key)) value = flag(value) ?? value;
    else if (NUMBERS.has(key)) value = wholeNumber(value) ?? value;
    (extra ??= {})[key] = value;
  }
  if (others !== null) (extra ??= {}).AlternativeHashes = others;
  return extra;
}

const hexOf = (b: Buffer | null): string => (b === null ? '' : b.toString('hex'));

/** Whether a MediaFile digest adds nothing: absent, or the media's own. */
function sameDigest(file: Buffer | null, media: Buffer | null): boolean {
  return file === null || (media !== null && file.equals(media));
}

/** Adds the entries of one media record; `ordinal` is 1-based within the file, `line` where it starts. */
export function addMedia(media: unknown, ordinal: number, line: number, sink: EntryTarget): void {
  try {
    if (!isObject(media)) throw new Malformed(`media ${ordinal}: not an object`);
    const where = '';
    const alt = alternativeHashes(media.AlternativeHashes, where);
    const md5 = digest(media, 'MD5', 16, where);
    const sha1 = digest(media, 'SHA1', 20, where) ?? alt.sha1;
    const sha256 = digest(media, 'SHA256', 32, where) ?? alt.sha256;
    const pdq = digest(media, 'PDQ', 32, where) ?? alt.pdq;
    const quality = isBlank(media.PDQQuality) ? alt.pdqQuality : checked(pdqQuality(media.PDQQuality), where, 'PDQQuality', media.PDQQuality, 'a whole number 0-100');
    const photoDna = isBlank(media.PhotoDNA) ? alt.photoDna : checked(text(media.PhotoDNA), where, 'PhotoDNA', media.PhotoDNA, 'text');
    const category = checked(wholeNumber(media.Category), where, 'Category', media.Category, 'a whole number');
    const series = checked(text(media.Series), where, 'Series', media.Series, 'text');
    const victimIdentified = checked(flag(media.VictimIdentified), where, 'VictimIdentified', media.VictimIdentified, 'true or false');
    const fileSize = checked(wholeNumber(media.MediaSize), where, 'MediaSize', media.MediaSize, 'a whole number');
    const files: unknown[] = Array.isArray(media.MediaFiles) ? media.MediaFiles : [];
    const first = files[0];
    const firstName = isObject(first) ? text(first.FileName) : null;

    const entries: ImportedEntry[] = [];
    const blockhash = alt.blockhash;
    const hasOwn = md5 !== null || sha1 !== null || sha256 !== null || pdq !== null || blockhash !== null || photoDna !== null;
    if (hasOwn) {
      // A literal with every field (not entryOf): this is the line a million-record file runs through.
      entries.push({ md5, sha1, sha256, pdq, pdqQuality: pdq === null ? null : quality, blockhash, photoDna, category, series, victimIdentified, fileName: firstName ?? null, fileSize, extra: extraOf(media, alt.others) });
    }
    let seen: Set<string> | null = null;
    for (let k = 0; k < files.length; k++) {
      const file = files[k];
      if (!isObject(file)) continue;
      // The usual case, cheaply: the same MD5 text as the media's and no other digest.
      if (file.MD5 === media.MD5 && file.SHA1 === undefined && file.SHA256 === undefined) continue;
      const at = `MediaFiles[${k}].`;
      const fileMd5 = digest(file, 'MD5', 16, at);
      const fileSha1 = digest(file, 'SHA1', 20, at);
      const fileSha256 = digest(file, 'SHA256', 32, at);
      if (sameDigest(fileMd5, md5) && sameDigest(fileSha1, sha1) && sameDigest(fileSha256, sha256)) continue;
      seen ??= new Set(hasOwn ? [`${hexOf(md5)}/${hexOf(sha1)}/${hexOf(sha256)}`] : []);
      const key = `${hexOf(fileMd5)}/${hexOf(fileSha1)}/${hexOf(fileSha256)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const size = checked(wholeNumber(file.FileSize), at, 'FileSize', file.FileSize, 'a whole number');
      entries.push(
        entryOf({
          md5: fileMd5,
          sha1: fileSha1,
          sha256: fileSha256,
          category,
          series,
          victimIdentified,
          fileName: text(file.FileName) ?? null,
          fileSize: size,
          extra: md5 === null ? null : { ParentMD5: md5.toString('hex') },
        }),
      );
    }
    if (entries.length === 0) throw new Malformed('no MD5, SHA1, SHA256, PDQ or PhotoDNA');
    for (const entry of entries) sink.add(entry);
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    sink.malformed(line, error.message.startsWith('media ') ? error.message : `media ${ordinal}: ${error.message}`);
  }
}
