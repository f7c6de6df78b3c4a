// Generic CSV / TSV / semicolon-separated hash sets: a header names the hash columns (MD5, SHA-1,
// SHA-256, PDQ, blockhash, PhotoDNA; case and punctuation ignored, common aliases such as "MD5 Hash" taken)
// and optionally category, series, victim-identified, file name and size. A column named only
// "hash" is read by length: 32 hex digits MD5, 40 SHA-1, 64 SHA-256 (never PDQ: for a PDQ list use
// the pdq format). Every other non-empty column goes to `extra` under its header. Lines starting
// with '#' are comments, before the header and after it.
import { column, delimiterOf, firstHeader, TableParser, type Header } from './delimited.js';
import type { EntrySink } from './entry-sink.js';
import { looksLikeText, textEncodingOf, type OpenedFile } from './file-source.js';
import { headLines, LineReader } from './line-reader.js';
import { HashSetFormatError, type HashSetReader, type ImportedEntry } from './types.js';
import { DIGEST_BYTES, digestByLength, flag, hexDigest, pdqQuality, shown, wholeNumber } from './values.js';

const NOUN = 'a hash-set CSV file';

export const CSV_COLUMNS = {
  md5: ['md5', 'md5hash', 'hashmd5', 'md5sum', 'md5value', 'md5digest'],
  sha1: ['sha1', 'sha1hash', 'hashsha1', 'sha1sum', 'sha1value', 'sha1digest'],
  sha256: ['sha256', 'sha256hash', 'hashsha256', 'sha256sum', 'sha2256', 'sha256value', 'sha256digest'],
  pdq: ['pdq', 'pdqhash', 'hashpdq'],
  blockhash: ['blockhash', 'blockhash256', 'bmvbhash'],
  photoDna: ['photodna', 'photodnahash', 'pdna'],
  hash: ['hash', 'hashvalue', 'digest'],
  pdqQuality: ['pdqquality', 'quality'],
  category: ['category', 'cat', 'categoryid', 'categorynumber'],
  series: ['series', 'seriesname'],
  victimIdentified: ['victimidentified'],
  fileName: ['filename', 'name', 'file', 'filepath', 'path', 'fullpath'],
  fileSize: ['filesize', 'size', 'mediasize', 'length', 'bytes', 'sizebytes'],
} as const;

export type CsvColumns = { readonly [K in keyof typeof CSV_COLUMNS]: number };

export function csvColumns(header: Header): CsvColumns {
  const found = {} as Record<keyof typeof CSV_COLUMNS, number>;
  for (const key of Object.keys(CSV_COLUMNS) as (keyof typeof CSV_COLUMNS)[]) found[key] = column(header, CSV_COLUMNS[key]);
  return found;
}

export function hasHashColumn(c: CsvColumns): boolean {
  return c.md5 >= 0 || c.sha1 >= 0 || c.sha256 >= 0 || c.pdq >= 0 || c.blockhash >= 0 || c.photoDna >= 0 || c.hash >= 0;
}

type Fields = { md5: Buffer | null; sha1: Buffer | null; sha256: Buffer | null; pdq: Buffer | null; blockhash: Buffer | null };

function rowReader(header: Header, c: CsvColumns) {
  const mapped = new Set(Object.values(c).filter((i) => i >= 0));
  const field = (fields: readonly string[], at: number) => (at < 0 ? '' : (fields[at] ?? '').trim());
  return (fields: readonly string[], lineNo: number, sink: EntrySink): void => {
    const digests: Fields = { md5: null, sha1: null, sha256: null, pdq: null, blockhash: null };
    for (const kind of ['md5', 'sha1', 'sha256', 'pdq', 'blockhash'] as const) {
      const value = field(fields, c[kind]);
      if (value === '') continue;
      digests[kind] = hexDigest(value, DIGEST_BYTES[kind]);
      if (digests[kind] === null) return sink.malformed(lineNo, `${header.names[c[kind]]} ${shown(value)} is not ${DIGEST_BYTES[kind] * 2} hex digits`);
    }
    const generic = field(fields, c.hash);
    if (generic !== '') {
      const kind = digestByLength(generic.length);
      const raw = kind === null ? null : hexDigest(generic, DIGEST_BYTES[kind]);
      if (kind === null || raw === null) return sink.malformed(lineNo, `${header.names[c.hash]} ${shown(generic)} is not an MD5, SHA-1 or SHA-256`);
      digests[kind] ??= raw;
    }
    const photoDna = field(fields, c.photoDna);
    if (digests.md5 === null && digests.sha1 === null && digests.sha256 === null && digests.pdq === null && digests.blockhash === null && photoDna === '') {
      return sink.malformed(lineNo, 'no hash');
    }
    const qualityText = field(fields, c.pdqQuality);
    const pdqQualityValue = pdqQuality(qualityText);
    if (pdqQualityValue === undefined) return sink.malformed(lineNo, `quality ${shown(qualityText)} is not a whole number 0-100`);
    const categoryText = field(fields, c.category);
    const category = wholeNumber(categoryText);
    if (category === undefined) return sink.malformed(lineNo, `category ${shown(categoryText)} is not a whole number`);
    const victimText = field(fields, c.victimIdentified);
    const victimIdentified = flag(victimText);
    if (victimIdentified === undefined) return sink.malformed(lineNo, `victim identified ${shown(victimText)} is not true/false`);
    const sizeText = field(fields, c.fileSize);
    const fileSize = wholeNumber(sizeText);
    if (fileSize === undefined) return sink.malformed(lineNo, `size ${shown(sizeText)} is not a whole number`);
    let extra: Record<string, unknown> | null = null;
    for (let i = 0; i < fields.length; i++) {
      const value = fields[i] ?? '';
      if (!mapped.has(i) && value.trim() !== '') (extra ??= {})[header.names[i] || `column ${i + 1}`] = value;
    }
    const series = field(fields, c.series);
    const name = c.fileName < 0 ? '' : (fields[c.fileName] ?? '');
    const entry: ImportedEntry = {
      ...digests,
      pdqQuality: digests.pdq === null ? null : pdqQualityValue,
      photoDna: photoDna === '' ? null : photoDna,
      category,
      series: series === '' ? null : series,
      victimIdentified,
      fileName: name === '' ? null : name,
      fileSize,
      extra,
    };
    sink.add(entry);
  };
}

/** The header of a generic hash-set CSV, or null when the first line names no hash column. */
export function csvHeader(lines: readonly { readonly text: string; readonly lineNo: number }[]): { readonly header: Header; readonly columns: CsvColumns } | null {
  const first = lines.find((l) => l.text.trim() !== '' && !l.text.trimStart().startsWith('#'));
  if (first === undefined) return null;
  const header = firstHeader(lines, delimiterOf(first.text), true);
  if (header === null) return null;
  const columns = csvColumns(header);
  return hasHashColumn(columns) ? { header, columns } : null;
}

export function openCsv(file: OpenedFile): HashSetReader {
  if (!looksLikeText(file.head)) throw new HashSetFormatError(`not ${NOUN}: binary data`);
  const found = csvHeader(headLines(file.head, file.source.size));
  if (found === null) throw new HashSetFormatError(`not ${NOUN}: its first line is not a header naming a hash column (md5, sha1, sha256, pdq, blockhash, photodna or hash)`);
  return new LineReader(file.source, textEncodingOf(file.head), new TableParser(found.header, rowReader(found.header, found.columns), true), {
    format: 'csv',
    version: null,
    properties: { delimiter: found.header.delimiter === '\t' ? 'tab' : found.header.delimiter },
    noun: NOUN,
  });
}
