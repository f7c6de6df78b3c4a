// Plain digest lists: md5sum / sha1sum / sha256sum output (`hash  name`, `hash *name`, a leading
// backslash for escaped names), BSD style (`MD5 (name) = hash`), or one bare hash per line. The
// format says which digest; 'auto' takes it from the lengths of the first lines. Blank lines and
// `#` comments are skipped; any other line that is not a digest of that kind is malformed.
import type { EntrySink } from './entry-sink.js';
import { looksLikeText, textEncodingOf, type OpenedFile } from './file-source.js';
import { headLines, LineReader, type LineParser } from './line-reader.js';
import { entryOf, HashSetFormatError, type HashSetReader } from './types.js';
import { DIGEST_BYTES, digestByLength, hexDigest, isHex, type PlainDigest } from './values.js';

export type ListLine =
  | { readonly kind: 'skip' }
  | { readonly kind: 'digest'; readonly hex: string; readonly name: string | null; readonly algorithm: PlainDigest | null; readonly bare: boolean }
  | { readonly kind: 'bad'; readonly reason: string };

const SKIP: ListLine = { kind: 'skip' };
const BSD = /^(MD5|SHA-?1|SHA-?256|SHA2-256)\s?\((.*)\)\s?=\s?([0-9A-Fa-f]+)\s*$/i;

function bsdAlgorithm(name: string): PlainDigest {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return key === 'md5' ? 'md5' : key === 'sha1' ? 'sha1' : 'sha256';
}

/** md5sum escapes a name holding a backslash or a line break, and marks the line with a leading backslash. */
function unescapeName(name: string): string {
  return name.replace(/\\(\\|n|r)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

/** One line of a plain list, read without deciding what digest it must be. */
export function readListLine(line: string): ListLine {
  const text = line.trimStart();
  if (text === '' || text.startsWith('#')) return SKIP;
  const bsd = BSD.exec(text);
  if (bsd !== null) return { kind: 'digest', hex: bsd[3] ?? '', name: bsd[2] === '' ? null : (bsd[2] ?? null), algorithm: bsdAlgorithm(bsd[1] ?? ''), bare: false };
  const escaped = text.startsWith('\\');
  const body = escaped ? text.slice(1) : text;
  let end = 0;
  while (end < body.length && body.charCodeAt(end) !== 32 && body.charCodeAt(end) !== 9) end++;
  const hex = body.slice(0, end);
  if (!isHex(hex)) return { kind: 'bad', reason: 'not a hex digest, `hash  name`, or `MD5 (name) = hash`' };
  if (end === body.length || body.slice(end).trim() === '') return { kind: 'digest', hex, name: null, algorithm: null, bare: true };
  const rest = body.slice(end);
  // md5sum writes exactly two characters between hash and name: two spaces (text) or ' *' (binary).
  const name = rest.startsWith('  ') || rest.startsWith(' *') ? rest.slice(2) : rest.replace(/^[ \t]+\*?/, '');
  return { kind: 'digest', hex, name: escaped ? unescapeName(name) : name, algorithm: null, bare: false };
}

export class PlainListParser implements LineParser {
  constructor(private readonly digest: PlainDigest) {}

  line(text: string, lineNo: number, sink: EntrySink): void {
    const read = readListLine(text);
    if (read.kind === 'skip') return;
    if (read.kind === 'bad') return sink.malformed(lineNo, read.reason);
    const expected = DIGEST_BYTES[this.digest];
    if (read.algorithm !== null && read.algorithm !== this.digest) return sink.malformed(lineNo, `a ${read.algorithm} line in a ${this.digest} list`);
    const raw = hexDigest(read.hex, expected);
    if (raw === null) return sink.malformed(lineNo, `${read.hex.length} hex digits where ${this.digest} has ${expected * 2}`);
    const digest = this.digest;
    sink.add(entryOf({ md5: digest === 'md5' ? raw : null, sha1: digest === 'sha1' ? raw : null, sha256: digest === 'sha256' ? raw : null, fileName: read.name }));
  }
}

export type ListVerdict = { readonly digest: PlainDigest; readonly allBare: boolean } | null;

/** What digest the data lines of a head hold: the most common among the lines that read as digests (null when none do). */
export function listDigestOf(lines: readonly string[]): ListVerdict {
  const counts = new Map<PlainDigest, number>();
  let allBare = true;
  for (const line of lines) {
    const read = readListLine(line);
    if (read.kind !== 'digest') continue;
    const digest = read.algorithm ?? digestByLength(read.hex.length);
    if (digest === null || read.hex.length !== DIGEST_BYTES[digest] * 2) continue;
    counts.set(digest, (counts.get(digest) ?? 0) + 1);
    if (!read.bare) allBare = false;
  }
  let best: PlainDigest | null = null;
  for (const [digest, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = digest;
  return best === null ? null : { digest: best, allBare };
}

/** Opens a plain list of `digest`, refusing a file none of whose first data lines is one. */
export function openPlainList(file: OpenedFile, digest: PlainDigest): HashSetReader {
  const noun = `${digest === 'md5' ? 'an' : 'a'} ${digest} list`;
  if (!looksLikeText(file.head)) throw new HashSetFormatError(`not ${noun}: binary data`);
  const lines = headLines(file.head, file.source.size).map((l) => l.text);
  const data = lines.map(readListLine).filter((l) => l.kind !== 'skip');
  const fits = data.some((l) => l.kind === 'digest' && (l.algorithm ?? digestByLength(l.hex.length)) === digest && l.hex.length === DIGEST_BYTES[digest] * 2);
  const first = data[0];
  if (first !== undefined && !fits) {
    const why = first.kind === 'bad' ? first.reason : first.kind === 'digest' ? `${first.hex.length} hex digits where ${digest} has ${DIGEST_BYTES[digest] * 2}` : '';
    throw new HashSetFormatError(`not ${noun}: its first lines are not ${digest} digests (${why})`);
  }
  return new LineReader(file.source, textEncodingOf(file.head), new PlainListParser(digest), { format: digest, version: null, properties: {}, noun });
}
