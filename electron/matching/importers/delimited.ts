// Delimited text with a header row (NSRL RDS v2, HashKeeper, ICSE, ThreatExchange CSV/TSV, generic
// CSV): quoted fields ("" for a quote inside), the delimiter guessed from the header, columns found
// by name. A record is one line: a quoted field spanning lines is reported as malformed.
import type { EntrySink } from './entry-sink.js';
import type { LineParser } from './line-reader.js';

export type Delimiter = ',' | ';' | '\t';

/** The fields of one line, or null when a quote is left open or text follows a closing quote. */
export function splitFields(line: string, delimiter: Delimiter): string[] | null {
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    let j = i;
    while (j < n && line.charCodeAt(j) === 32) j++;
    if (j < n && line.charCodeAt(j) === 34) {
      let value = '';
      let k = j + 1;
      for (;;) {
        const quote = line.indexOf('"', k);
        if (quote < 0) return null;
        value += line.slice(k, quote);
        if (line.charCodeAt(quote + 1) === 34) {
          value += '"';
          k = quote + 2;
        } else {
          k = quote + 1;
          break;
        }
      }
      while (k < n && line.charCodeAt(k) === 32) k++;
      fields.push(value);
      if (k >= n) return fields;
      if (line[k] !== delimiter) return null;
      i = k + 1;
    } else {
      const next = line.indexOf(delimiter, i);
      if (next < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, next));
      i = next + 1;
    }
  }
}

/** The delimiter a header line uses most, outside quotes (a comma when none is used). */
export function delimiterOf(header: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

/** A header name reduced for matching: lower case, letters and digits only ("SHA-1" -> "sha1", "Image ID" -> "imageid"). */
export function headerKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export type Header = {
  readonly names: readonly string[];
  readonly keys: readonly string[];
  readonly delimiter: Delimiter;
  /** The line the header is on (records follow it). */
  readonly lineNo: number;
};

export function parseHeader(line: string, lineNo: number, delimiter: Delimiter = delimiterOf(line)): Header | null {
  const names = splitFields(line, delimiter);
  if (names === null) return null;
  const trimmed = names.map((n) => n.trim());
  return { names: trimmed, keys: trimmed.map(headerKey), delimiter, lineNo };
}

/** The index of the first column whose key is one of `aliases` (in the order of the aliases), or -1. */
export function column(header: Header, aliases: readonly string[]): number {
  for (const alias of aliases) {
    const index = header.keys.indexOf(alias);
    if (index >= 0) return index;
  }
  return -1;
}

export type RowReader = (fields: readonly string[], lineNo: number, sink: EntrySink) => void;

/** Lines after a header, split into fields; a row with a different number of fields than the header is malformed. */
export class TableParser implements LineParser {
  /** `comments`: lines starting with '#' are skipped (generic CSV; the fixed formats have none). */
  constructor(
    private readonly header: Header,
    private readonly row: RowReader,
    private readonly comments = false,
  ) {}

  line(text: string, lineNo: number, sink: EntrySink): void {
    if (lineNo <= this.header.lineNo || text.trim() === '') return;
    if (this.comments && text.trimStart().startsWith('#')) return;
    const fields = splitFields(text, this.header.delimiter);
    if (fields === null) return sink.malformed(lineNo, 'a quoted field is not closed on its line');
    if (fields.length !== this.header.names.length) {
      return sink.malformed(lineNo, `${fields.length} fields where the header has ${this.header.names.length}`);
    }
    this.row(fields, lineNo, sink);
  }
}

/** The first line of a head that is not blank (nor a '#' comment, with `comments`), as a header, or null. */
export function firstHeader(lines: readonly { readonly text: string; readonly lineNo: number }[], delimiter?: Delimiter, comments = false): Header | null {
  const first = lines.find((l) => l.text.trim() !== '' && !(comments && l.text.trimStart().startsWith('#')));
  return first === undefined ? null : parseHeader(first.text, first.lineNo, delimiter);
}
