// NSRL RDS v2 `NSRLFile.txt`: quoted CSV with the header
// "SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode". RDS 1.5
// files order the columns differently and add MD4 ("SHA-1","FileName","FileSize","ProductCode",
// "OpSystemCode","MD4","MD5","CRC32","SpecialCode"); columns are found by name, so both read the same
// (the version says which it was). CRC32 and MD4 are not kept: nothing matches on them.
import { column, firstHeader, TableParser, type Header } from './delimited.js';
import type { EntrySink } from './entry-sink.js';
import { looksLikeText, textEncodingOf, type OpenedFile } from './file-source.js';
import { headLines, LineReader } from './line-reader.js';
import { entryOf, HashSetFormatError, type HashSetReader } from './types.js';
import { hexDigest, isBlank, shown, wholeNumber } from './values.js';

const NOUN = 'an NSRL RDS file';

/** Whether a header is an RDS NSRLFile header (the names NIST uses, in any order). */
export function isRdsHeader(header: Header): boolean {
  return ['sha1', 'md5', 'filename', 'productcode'].every((k) => header.keys.includes(k));
}

function rowReader(header: Header) {
  const sha1At = column(header, ['sha1']);
  const md5At = column(header, ['md5']);
  const nameAt = column(header, ['filename']);
  const sizeAt = column(header, ['filesize']);
  const productAt = column(header, ['productcode']);
  const osAt = column(header, ['opsystemcode']);
  const specialAt = column(header, ['specialcode']);
  return (fields: readonly string[], lineNo: number, sink: EntrySink): void => {
    const sha1Text = fields[sha1At] ?? '';
    const md5Text = fields[md5At] ?? '';
    const sha1 = isBlank(sha1Text) ? null : hexDigest(sha1Text, 20);
    if (sha1 === null && !isBlank(sha1Text)) return sink.malformed(lineNo, `SHA-1 ${shown(sha1Text)} is not 40 hex digits`);
    const md5 = isBlank(md5Text) ? null : hexDigest(md5Text, 16);
    if (md5 === null && !isBlank(md5Text)) return sink.malformed(lineNo, `MD5 ${shown(md5Text)} is not 32 hex digits`);
    if (sha1 === null && md5 === null) return sink.malformed(lineNo, 'no SHA-1 or MD5');
    const sizeText = sizeAt < 0 ? '' : (fields[sizeAt] ?? '');
    const fileSize = wholeNumber(sizeText);
    if (fileSize === undefined) return sink.malformed(lineNo, `FileSize ${shown(sizeText)} is not a whole number`);
    const product = fields[productAt] ?? '';
    const extra: Record<string, unknown> = { ProductCode: wholeNumber(product) ?? product };
    if (osAt >= 0) extra.OpSystemCode = fields[osAt];
    const special = specialAt < 0 ? '' : (fields[specialAt] ?? '');
    if (special !== '') extra.SpecialCode = special;
    const name = fields[nameAt] ?? '';
    sink.add(entryOf({ sha1, md5, fileName: name === '' ? null : name, fileSize, extra }));
  };
}

/** 'RDS 1.5' when the header has the older column order (SHA-1 then FileName, and MD4), else 'RDSv2'. */
export function rdsTextVersion(header: Header): string {
  return header.keys.includes('md4') || header.keys[1] === 'filename' ? 'RDS 1.5' : 'RDSv2';
}

export function openNsrlText(file: OpenedFile): HashSetReader {
  if (!looksLikeText(file.head)) throw new HashSetFormatError(`not ${NOUN}: binary data (an RDSv3 SQLite database is recognised by its header)`);
  const header = firstHeader(headLines(file.head, file.source.size), ',');
  if (header === null || !isRdsHeader(header)) {
    throw new HashSetFormatError(`not ${NOUN}: its first line is not a header naming "SHA-1", "MD5", "FileName" and "ProductCode"`);
  }
  return new LineReader(file.source, textEncodingOf(file.head), new TableParser(header, rowReader(header)), {
    format: 'nsrl',
    version: rdsTextVersion(header),
    properties: {},
    noun: NOUN,
  });
}
