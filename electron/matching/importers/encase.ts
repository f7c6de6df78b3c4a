// EnCase `.hash` hash sets (binary, EnCase 4-6; layout as Autopsy's EncaseHashSetParser and the
// forensics wiki describe it): a 16-byte header starting "HASH\r\n\xff\0", the record count as a
// little-endian uint32 at 0x10, the set name (UTF-16LE, 0x50 bytes) at 0x408, its category (text
// such as "Notable", UTF-16LE, 0x28 bytes) at 0x458, then records of 18 bytes from 0x480: a raw MD5
// and a 2-byte separator. Records carry nothing but the MD5; the name and category are the set's.
import type { FileSource, OpenedFile } from './file-source.js';
import { StreamedReader } from './streamed-reader.js';
import { entryOf, HashSetFormatError, type HashSetReader, type ImportedEntry } from './types.js';

export const ENCASE_SIGNATURE = Buffer.from('HASH\r\n\xff\x00', 'latin1');
export const ENCASE_HEADER_BYTES = 0x480;
export const ENCASE_RECORD_BYTES = 18;
const NOUN = 'an EnCase hash file';
/** Records per read: a whole number of records, about 1 MiB. */
const RECORDS_PER_READ = 58_254;

function utf16Field(head: Buffer, offset: number, bytes: number): string {
  const text = head.toString('utf16le', offset, offset + bytes);
  const end = text.indexOf('\0');
  return (end < 0 ? text : text.slice(0, end)).trim();
}

class EncaseReader extends StreamedReader {
  private read = 0;

  constructor(
    private readonly source: FileSource,
    private readonly count: number,
    properties: Record<string, string>,
  ) {
    super({ format: 'encase', version: null, properties, totalBytes: source.size, noun: NOUN });
  }

  bytesRead(): number {
    return Math.min(this.source.size, this.read);
  }

  close(): Promise<void> {
    return this.source.close();
  }

  protected async *batches(): AsyncGenerator<ImportedEntry[]> {
    let ordinal = 0;
    let carry: Buffer | null = null;
    const end = ENCASE_HEADER_BYTES + this.count * ENCASE_RECORD_BYTES;
    this.read = ENCASE_HEADER_BYTES;
    for await (const chunk of this.source.chunks(ENCASE_HEADER_BYTES, RECORDS_PER_READ * ENCASE_RECORD_BYTES)) {
      const data: Buffer = carry === null ? chunk : Buffer.concat([carry, chunk]);
      let offset = 0;
      while (ordinal < this.count && offset + ENCASE_RECORD_BYTES <= data.length) {
        ordinal++;
        // A copy, not a view: the entry must not hold the whole read buffer alive.
        this.sink.add(entryOf({ md5: Buffer.from(data.subarray(offset, offset + 16)) }));
        offset += ENCASE_RECORD_BYTES;
      }
      carry = offset < data.length ? data.subarray(offset) : null;
      this.read = Math.min(end, ENCASE_HEADER_BYTES + ordinal * ENCASE_RECORD_BYTES);
      yield* this.sink.takeFull();
      if (ordinal >= this.count) break;
    }
    if (ordinal < this.count) {
      throw new HashSetFormatError(`damaged EnCase hash file: it ends after ${ordinal} of the ${this.count} hashes its header counts (changed while read?)`, 'corrupt');
    }
    yield* this.sink.takeAll();
  }
}

export function isEncase(head: Buffer): boolean {
  return head.length >= ENCASE_SIGNATURE.length && head.subarray(0, ENCASE_SIGNATURE.length).equals(ENCASE_SIGNATURE);
}

export function openEncase(file: OpenedFile): HashSetReader {
  const { head, source } = file;
  if (!isEncase(head)) throw new HashSetFormatError(`not ${NOUN}: no "HASH\\r\\n\\xff\\0" signature`);
  if (head.length < ENCASE_HEADER_BYTES) throw new HashSetFormatError(`damaged EnCase hash file: shorter than its ${ENCASE_HEADER_BYTES}-byte header`, 'corrupt');
  const count = head.readUInt32LE(0x10);
  const room = Math.floor((source.size - ENCASE_HEADER_BYTES) / ENCASE_RECORD_BYTES);
  if (count > room) throw new HashSetFormatError(`damaged EnCase hash file: its header counts ${count} hashes but it holds only ${room} (truncated?)`, 'corrupt');
  const properties: Record<string, string> = { name: utf16Field(head, 0x408, 0x50), category: utf16Field(head, 0x458, 0x28) };
  return new EncaseReader(source, count, properties);
}
