// HashKeeper `.hsh` (NDIC): CSV with the header "file_id","hashset_id","file_name","directory",
// "hash","file_size",... and one MD5 per row. The set's own description lives in a separate `.hke`
// file, whose num_of_files cannot be trusted (0 in NDIC's own sample), so it is not read.
import { column, firstHeader, TableParser, type Header } from './delimited.js';
import type { EntrySink } from './entry-sink.js';
import { looksLikeText, textEncodingOf, type OpenedFile } from './file-source.js';
import { headLines, LineReader } from './line-reader.js';
import { entryOf, HashSetFormatError, type HashSetReader } from './types.js';
import { hexDigest, shown, wholeNumber } from './values.js';

const NOUN = 'a HashKeeper file';

export function isHashKeeperHeader(header: Header): boolean {
  return ['hash', 'hashsetid', 'filename'].every((k) => header.keys.includes(k));
}

function rowReader(header: Header) {
  const hashAt = column(header, ['hash']);
  const nameAt = column(header, ['filename']);
  const sizeAt = column(header, ['filesize']);
  const setAt = column(header, ['hashsetid']);
  const directoryAt = column(header, ['directory']);
  const commentsAt = column(header, ['comments']);
  return (fields: readonly string[], lineNo: number, sink: EntrySink): void => {
    const hash = (fields[hashAt] ?? '').trim();
    const md5 = hexDigest(hash, 16);
    if (md5 === null) return sink.malformed(lineNo, `hash ${shown(hash)} is not 32 hex digits`);
    const sizeText = sizeAt < 0 ? '' : (fields[sizeAt] ?? '');
    const fileSize = wholeNumber(sizeText);
    if (fileSize === undefined) return sink.malformed(lineNo, `file_size ${shown(sizeText)} is not a whole number`);
    const setId = fields[setAt] ?? '';
    const extra: Record<string, unknown> = { hashset_id: wholeNumber(setId) ?? setId };
    const directory = directoryAt < 0 ? '' : (fields[directoryAt] ?? '');
    if (directory !== '') extra.directory = directory;
    const comments = commentsAt < 0 ? '' : (fields[commentsAt] ?? '');
    if (comments !== '') extra.comments = comments;
    const name = fields[nameAt] ?? '';
    sink.add(entryOf({ md5, fileName: name === '' ? null : name, fileSize, extra }));
  };
}

export function openHashKeeper(file: OpenedFile): HashSetReader {
  if (!looksLikeText(file.head)) throw new HashSetFormatError(`not ${NOUN}: binary data`);
  const header = firstHeader(headLines(file.head, file.source.size), ',');
  if (header === null || !isHashKeeperHeader(header)) {
    throw new HashSetFormatError(`not ${NOUN}: its first line is not a header naming "hash", "hashset_id" and "file_name"`);
  }
  return new LineReader(file.source, textEncodingOf(file.head), new TableParser(header, rowReader(header)), { format: 'hashkeeper', version: null, properties: {}, noun: NOUN });
}
