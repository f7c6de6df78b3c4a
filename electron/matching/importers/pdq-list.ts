// PDQ lists: one `hex`, `hex,quality` or `hex,quality,name` per line (what ThreatExchange's
// pdq-photo-hasher prints; a tab may stand for the comma), or a CSV/TSV whose header names a hash
// column (pdq, hash, signal_value...) and optionally quality and file columns. Rows whose hash has
// 32 hex digits are MD5s (ThreatExchange's PDQMD5 test data mixes the MD5s of videos in with the
// PDQs of photos) and are kept as MD5 entries; any other length is malformed.
import { column, delimiterOf, parseHeader, splitFields, type Header } from './delimited.js';
import type { EntrySink } from './entry-sink.js';
import { looksLikeText, textEncodingOf, type OpenedFile } from './file-source.js';
import { headLines, LineReader, type LineParser } from './line-reader.js';
import { entryOf, HashSetFormatError, type HashSetReader } from './types.js';
import { hexDigest, pdqQuality, shown } from './values.js';

const NOUN = 'a PDQ list';
export const PDQ_HASH_COLUMNS = ['pdq', 'pdqhash', 'hashpdq', 'hash', 'hashvalue', 'signalvalue', 'signal', 'value'];
const QUALITY_COLUMNS = ['quality', 'pdqquality'];
const NAME_COLUMNS = ['filepath', 'filename', 'file', 'name', 'path'];

type Table = { readonly header: Header; readonly hash: number; readonly quality: number; readonly name: number };
type Row = { readonly hash: string; readonly quality: string | null; readonly name: string | null };

/** A headerless line split at its first two commas or tabs. */
function bareRow(text: string): Row {
  const first = text.search(/[,\t]/);
  if (first < 0) return { hash: text.trim(), quality: null, name: null };
  const rest = text.slice(first + 1);
  const second = rest.search(/[,\t]/);
  return second < 0 ? { hash: text.slice(0, first).trim(), quality: rest, name: null } : { hash: text.slice(0, first).trim(), quality: rest.slice(0, second), name: rest.slice(second + 1) };
}

function addRow(row: Row, lineNo: number, sink: EntrySink): void {
  const quality = row.quality === null ? null : pdqQuality(row.quality);
  if (quality === undefined) return sink.malformed(lineNo, `quality ${shown(row.quality)} is not a whole number 0-100`);
  const fileName = row.name === null || row.name === '' ? null : row.name;
  if (row.hash.length === 64) {
    const pdq = hexDigest(row.hash, 32);
    if (pdq === null) return sink.malformed(lineNo, `${shown(row.hash)} is not 64 hex digits`);
    return sink.add(entryOf({ pdq, pdqQuality: quality, fileName }));
  }
  if (row.hash.length === 32) {
    const md5 = hexDigest(row.hash, 16);
    if (md5 === null) return sink.malformed(lineNo, `${shown(row.hash)} is not 32 hex digits`);
    return sink.add(entryOf({ md5, fileName }));
  }
  sink.malformed(lineNo, `${shown(row.hash)} is not a PDQ hash (64 hex digits) or an MD5 (32)`);
}

class PdqParser implements LineParser {
  constructor(private readonly table: Table | null) {}

  line(text: string, lineNo: number, sink: EntrySink): void {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const table = this.table;
    if (table === null) return addRow(bareRow(trimmed), lineNo, sink);
    if (lineNo <= table.header.lineNo) return;
    const fields = splitFields(text, table.header.delimiter);
    if (fields === null) return sink.malformed(lineNo, 'a quoted field is not closed on its line');
    if (fields.length !== table.header.names.length) return sink.malformed(lineNo, `${fields.length} fields where the header has ${table.header.names.length}`);
    const at = (i: number) => (i < 0 ? null : (fields[i] ?? null));
    addRow({ hash: (at(table.hash) ?? '').trim(), quality: at(table.quality), name: at(table.name) }, lineNo, sink);
  }
}

/** The header of a ThreatExchange-style CSV/TSV: one naming a hash column. */
export function pdqTable(line: string, lineNo: number): Table | null {
  const header = parseHeader(line, lineNo, delimiterOf(line));
  if (header === null) return null;
  const hash = column(header, PDQ_HASH_COLUMNS);
  return hash < 0 ? null : { header, hash, quality: column(header, QUALITY_COLUMNS), name: column(header, NAME_COLUMNS) };
}

function isPdqRow(row: Row): boolean {
  return row.hash.length === 64 && hexDigest(row.hash, 32) !== null && (row.quality === null || pdqQuality(row.quality) !== undefined);
}

/** A data row of either kind the list holds (PDQ, or an MD5), rather than a header. */
function isDataRow(row: Row): boolean {
  return isPdqRow(row) || (row.hash.length === 32 && hexDigest(row.hash, 16) !== null);
}

/** Opens a PDQ list, refusing a file whose first lines hold no 64-hex PDQ hash. */
export function openPdqList(file: OpenedFile): HashSetReader {
  if (!looksLikeText(file.head)) throw new HashSetFormatError(`not ${NOUN}: binary data`);
  const lines = headLines(file.head, file.source.size).filter((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'));
  const first = lines[0];
  let table: Table | null = null;
  if (first !== undefined && !isDataRow(bareRow(first.text.trim()))) {
    table = pdqTable(first.text, first.lineNo);
    if (table === null) throw new HashSetFormatError(`not ${NOUN}: line ${first.lineNo} is neither 'hex[,quality]' nor a header naming a pdq or hash column`);
  }
  if (first !== undefined) {
    const t = table;
    const rows = lines.slice(t === null ? 0 : 1).map((l): Row => {
      if (t === null) return bareRow(l.text.trim());
      const f = splitFields(l.text, t.header.delimiter) ?? [];
      return { hash: (f[t.hash] ?? '').trim(), quality: t.quality < 0 ? null : (f[t.quality] ?? null), name: null };
    });
    if (rows.length > 0 && !rows.some(isPdqRow)) throw new HashSetFormatError(`not ${NOUN}: no 64-hex PDQ hash in its first lines`);
  }
  return new LineReader(file.source, textEncodingOf(file.head), new PdqParser(table), { format: 'pdq', version: null, properties: {}, noun: NOUN });
}
