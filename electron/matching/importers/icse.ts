// INTERPOL ICSE CSV exports: `;`-delimited, columns found by name because the exports vary (IPED
// issue #1136 quotes a full header "MD5;SHA1;ZZ40;PhotoDNA;Lace;Image ID;Is distributed;Victim
// identified;Offender identified;Series name;Investigation name;Agency;Number of submissions;File
// Available;Media Type;Baseline", IPED's own importer a shorter one). Flags are Y/N, True/False or
// Yes/No. Mapped: MD5, SHA1, PhotoDNA, Victim identified, Series name, and Category / file name /
// size where a column has them; every other non-empty column goes to `extra` under its header.
import { column, delimiterOf, firstHeader, TableParser, type Header } from './delimited.js';
import type { EntrySink } from './entry-sink.js';
import { looksLikeText, textEncodingOf, type OpenedFile } from './file-source.js';
import { headLines, LineReader } from './line-reader.js';
import { entryOf, HashSetFormatError, type HashSetReader } from './types.js';
import { flag, hexDigest, isBlank, shown, wholeNumber } from './values.js';

const NOUN = 'an ICSE CSV file';

/** Columns only ICSE exports have (one is enough, with MD5 or SHA1, to recognise one). */
const ICSE_KEYS = ['imageid', 'isdistributed', 'victimidentified', 'offenderidentified', 'seriesname', 'numberofsubmissions', 'fileavailable', 'baseline', 'zz40', 'lace'];
const FLAG_KEYS = new Set(['isdistributed', 'offenderidentified', 'fileavailable', 'baseline']);
const NUMBER_KEYS = new Set(['numberofsubmissions']);

export function isIcseHeader(header: Header): boolean {
  return header.delimiter === ';' && (header.keys.includes('md5') || header.keys.includes('sha1')) && header.keys.some((k) => ICSE_KEYS.includes(k));
}

function rowReader(header: Header) {
  const md5At = column(header, ['md5']);
  const sha1At = column(header, ['sha1']);
  const photoDnaAt = column(header, ['photodna']);
  const victimAt = column(header, ['victimidentified']);
  const seriesAt = column(header, ['seriesname', 'series']);
  const categoryAt = column(header, ['category']);
  const nameAt = column(header, ['filename']);
  const sizeAt = column(header, ['filesize', 'size']);
  const mapped = new Set([md5At, sha1At, photoDnaAt, victimAt, seriesAt, categoryAt, nameAt, sizeAt]);
  const field = (fields: readonly string[], at: number) => (at < 0 ? '' : (fields[at] ?? '').trim());
  return (fields: readonly string[], lineNo: number, sink: EntrySink): void => {
    const md5Text = field(fields, md5At);
    const sha1Text = field(fields, sha1At);
    const md5 = md5Text === '' ? null : hexDigest(md5Text, 16);
    if (md5 === null && md5Text !== '') return sink.malformed(lineNo, `MD5 ${shown(md5Text)} is not 32 hex digits`);
    const sha1 = sha1Text === '' ? null : hexDigest(sha1Text, 20);
    if (sha1 === null && sha1Text !== '') return sink.malformed(lineNo, `SHA1 ${shown(sha1Text)} is not 40 hex digits`);
    const photoDna = field(fields, photoDnaAt);
    if (md5 === null && sha1 === null && photoDna === '') return sink.malformed(lineNo, 'no MD5, SHA1 or PhotoDNA');
    const victimText = field(fields, victimAt);
    const victimIdentified = flag(victimText);
    if (victimIdentified === undefined) return sink.malformed(lineNo, `Victim identified ${shown(victimText)} is not Y/N`);
    const categoryText = field(fields, categoryAt);
    const category = wholeNumber(categoryText);
    if (category === undefined) return sink.malformed(lineNo, `Category ${shown(categoryText)} is not a whole number`);
    const sizeText = field(fields, sizeAt);
    const fileSize = wholeNumber(sizeText);
    if (fileSize === undefined) return sink.malformed(lineNo, `size ${shown(sizeText)} is not a whole number`);
    let extra: Record<string, unknown> | null = null;
    for (let i = 0; i < fields.length; i++) {
      const value = (fields[i] ?? '').trim();
      if (mapped.has(i) || isBlank(value)) continue;
      const key = header.keys[i] ?? '';
      const converted = FLAG_KEYS.has(key) ? flag(value) : NUMBER_KEYS.has(key) ? wholeNumber(value) : value;
      (extra ??= {})[header.names[i] ?? `column ${i + 1}`] = converted ?? value;
    }
    const series = field(fields, seriesAt);
    const name = field(fields, nameAt);
    sink.add(entryOf({ md5, sha1, photoDna: photoDna === '' ? null : photoDna, victimIdentified, category, series: series === '' ? null : series, fileName: name === '' ? null : name, fileSize, extra }));
  };
}

export function openIcse(file: OpenedFile): HashSetReader {
  if (!looksLikeText(file.head)) throw new HashSetFormatError(`not ${NOUN}: binary data`);
  const lines = headLines(file.head, file.source.size);
  const first = lines.find((l) => l.text.trim() !== '');
  const header = first === undefined ? null : firstHeader(lines, delimiterOf(first.text));
  if (header === null || !isIcseHeader(header)) {
    throw new HashSetFormatError(`not ${NOUN}: its first line is not a ';' header naming MD5 or SHA1 and ICSE columns (Image ID, Victim identified, ...)`);
  }
  return new LineReader(file.source, textEncodingOf(file.head), new TableParser(header, rowReader(header)), { format: 'icse', version: null, properties: {}, noun: NOUN });
}
