// Format detection for 'auto', by content: SQLite magic (NSRL RDSv3), EnCase signature, a JSON
// object (VICS), a header line (NSRL RDS v2/1.5, HashKeeper, ICSE, generic CSV), else digest lines
// (md5sum / BSD / bare hex, PDQ with quality). The file name only breaks a tie the content cannot:
// bare 64-hex values are SHA-256 digests or PDQ hashes alike.
import { basename } from 'node:path';
import { csvHeader } from './csv.js';
import { parseHeader, splitFields } from './delimited.js';
import { isEncase } from './encase.js';
import { headText, isUtf16BigEndian, looksLikeText } from './file-source.js';
import { isHashKeeperHeader } from './hashkeeper.js';
import { isIcseHeader } from './icse.js';
import { headLines } from './line-reader.js';
import { isRdsHeader } from './nsrl-rds2.js';
import { isSqlite } from './nsrl-rds3.js';
import { listDigestOf, readListLine } from './plain-list.js';
import { HashSetFormatError, type HashSetFormat } from './types.js';
import { hexDigest, pdqQuality, shown } from './values.js';

/** 'pdq' or 'sha256' when the file's name says which (…pdq…, …sha256…), else null. */
function nameHint(path: string): 'pdq' | 'sha256' | null {
  const name = basename(path).toLowerCase();
  if (name.includes('pdq')) return 'pdq';
  if (/sha-?256/.test(name)) return 'sha256';
  return null;
}

function ambiguous(what: string): never {
  throw new HashSetFormatError(`cannot tell the format: ${what} could be SHA-256 digests or PDQ hashes; name the format (sha256, csv or pdq)`, 'ambiguous');
}

/** A headerless PDQ line with its quality: `hex,quality` (or a tab), as pdq-photo-hasher writes. */
function isPdqWithQuality(line: string): boolean {
  const match = /^([0-9A-Fa-f]{64})[,\t]\s*(\d{1,3})(?:[,\t].*)?$/.exec(line.trim());
  return match !== null && hexDigest(match[1] ?? '', 32) !== null && pdqQuality(match[2]) !== undefined;
}

/** The format of a file from its head (and, for a tie only, its name). Plain lists come back as their digest. */
export function detectFormat(head: Buffer, fileSize: number, path: string): HashSetFormat {
  if (fileSize === 0) throw new HashSetFormatError('cannot tell the format of an empty file');
  if (isSqlite(head)) return 'nsrl';
  if (isEncase(head)) return 'encase';
  if (isUtf16BigEndian(head)) throw new HashSetFormatError('UTF-16 big-endian text is not read: save the file as UTF-8');
  if (!looksLikeText(head)) throw new HashSetFormatError('not a hash set: binary data that is neither an NSRL RDSv3 database nor an EnCase hash file');

  // Before splitting into lines: a VICS export is often one line of megabytes.
  if (headText(head, fileSize).text.trimStart().startsWith('{')) return 'vics';
  const lines = headLines(head, fileSize);
  const first = lines.find((l) => l.text.trim() !== '');
  if (first === undefined) throw new HashSetFormatError('cannot tell the format: no line ends in its first 64 KiB');

  const header = parseHeader(first.text, first.lineNo);
  if (header !== null) {
    if (isRdsHeader(header)) return 'nsrl';
    if (isHashKeeperHeader(header)) return 'hashkeeper';
    if (isIcseHeader(header)) return 'icse';
    const csv = csvHeader(lines);
    if (csv !== null) {
      const c = csv.columns;
      if (c.md5 >= 0 || c.sha1 >= 0 || c.sha256 >= 0 || c.pdq >= 0 || c.photoDna >= 0) return 'csv';
      // Only a column called "hash": 32 or 40 hex digits say which, 64 do not.
      const values = lines.filter((l) => l.lineNo > csv.header.lineNo).map((l) => (splitFields(l.text, csv.header.delimiter)?.[c.hash] ?? '').trim());
      if (!values.some((v) => v.length === 64)) return 'csv';
      const hint = nameHint(path);
      if (hint === 'pdq') return 'pdq';
      if (hint === 'sha256') return 'csv';
      ambiguous(`its "${header.names[c.hash]}" column holds 64-hex values, which`);
    }
  }

  const data = lines.map((l) => l.text).filter((t) => readListLine(t).kind !== 'skip');
  if (data.some(isPdqWithQuality)) return 'pdq';
  const verdict = listDigestOf(data);
  if (verdict !== null) {
    if (verdict.digest !== 'sha256' || !verdict.allBare) return verdict.digest;
    const hint = nameHint(path);
    if (hint !== null) return hint;
    ambiguous('bare 64-hex lines');
  }
  throw new HashSetFormatError(`not a hash-set format this workstation reads (line ${first.lineNo}: ${shown(first.text)}); name the format if it is one`);
}
