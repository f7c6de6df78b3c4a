// The entry point: open a hash-set file as the format named, or as the one its content shows.
// The start of the file is checked before anything is read on, so a file that is not the format
// named fails here, with one line saying why, before any entry is yielded.
import { openCsv } from './csv.js';
import { detectFormat } from './detect.js';
import { openEncase } from './encase.js';
import { FileSource, type OpenedFile } from './file-source.js';
import { openHashKeeper } from './hashkeeper.js';
import { openIcse } from './icse.js';
import { openNsrlText } from './nsrl-rds2.js';
import { isSqlite, openNsrlDatabase } from './nsrl-rds3.js';
import { openPdqList } from './pdq-list.js';
import { openPlainList } from './plain-list.js';
import type { HashSetFormat, HashSetReader } from './types.js';
import { openVics } from './vics.js';

export type { BulkChunk, HashSetFormat, HashSetReader, ImportedEntry, MalformedLine, MalformedReport, ObjectSplitter, PrepackedEntries, RecordPacker } from './types.js';
export { BULK_DIGEST_WIDTH, HASH_SET_FORMATS, HashSetFormatError } from './types.js';
export { utf8Rows, wellFormedUtf8 } from './utf8-rows.js';

async function openAs(format: HashSetFormat, file: OpenedFile): Promise<HashSetReader> {
  switch (format) {
    case 'vics':
      return openVics(file);
    case 'nsrl':
      return isSqlite(file.head) ? openNsrlDatabase(file) : openNsrlText(file);
    case 'md5':
    case 'sha1':
    case 'sha256':
      return openPlainList(file, format);
    case 'pdq':
      return openPdqList(file);
    case 'encase':
      return openEncase(file);
    case 'hashkeeper':
      return openHashKeeper(file);
    case 'icse':
      return openIcse(file);
    case 'csv':
      return openCsv(file);
  }
}

/**
 * Opens `path` as a hash set. With 'auto' the format comes from the content (the name only breaks
 * a SHA-256 / PDQ tie). Throws HashSetFormatError (one line) when the file is not that format.
 */
export async function openHashSet(path: string, format: HashSetFormat | 'auto'): Promise<HashSetReader> {
  const source = await FileSource.open(path);
  try {
    const head = await source.head();
    return await openAs(format === 'auto' ? detectFormat(head, source.size, path) : format, { source, head });
  } catch (error) {
    await source.close();
    throw error;
  }
}
