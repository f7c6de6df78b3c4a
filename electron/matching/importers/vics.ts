// Project VIC / VICS JSON (OData): 1.1-1.3 with `odata.metadata`, 2.0 with `@odata.context`, as a
// `#Media` hash set (`value: [media...]`) or a `#Cases` case file (`value: [{ ..., Media: [...] }]`).
// The metadata URL must come before `value` (OData puts it first): it names the version and the
// shape. The file is streamed; each media record is parsed on its own (see json-scan.ts).
import { looksLikeText, textEncodingOf, type FileSource, type OpenedFile } from './file-source.js';
import { JsonScanner, JsonSyntaxError, type JsonPath, type JsonRoute } from './json-scan.js';
import { StreamedReader } from './streamed-reader.js';
import { HashSetFormatError, type HashSetReader, type ImportedEntry, type ObjectSplitter, type PrepackedEntries, type RecordPacker } from './types.js';
import { addMedia } from './vics-media.js';
import type { EntrySink, EntryTarget } from './entry-sink.js';

/** A media record's JSON as the file gives it. */
type RawRecord = { readonly json: string; readonly line: number; readonly ordinal: number };
/** Records found in the file's bytes, in a copy of them: record i is bytes[starts[i], ends[i]), on lines[i]. */
type RawRun = { readonly bytes: Buffer; readonly starts: Uint32Array; readonly ends: Uint32Array; readonly lines: Uint32Array; readonly firstOrdinal: number };
/** Records, or complaints about the structure around them, in file order. */
type RawItem = RawRecord | RawRun | { readonly json: null; readonly line: number; readonly reason: string };

const isRun = (item: RawItem): item is RawRun => 'bytes' in item;
const recordsIn = (item: RawItem): number => (isRun(item) ? item.starts.length : 1);

/** Records queued before they are packed. */
const PREPACK_RECORDS = 1000;
/** Records the splitter takes at a time. */
const SPLIT_RECORDS = 4096;
/** The buffer records are handed to the packer in. */
const PREPACK_TEXT_BYTES = 1 << 20;

const NOUN = 'a VICS JSON file';
const METADATA_KEYS = new Set(['odata.metadata', '@odata.context']);
/** How far into a file its metadata URL may be looked for. */
const SNIFF_BYTES = 1 << 20;

export type VicsShape = 'media' | 'cases';

export type VicsMetadata = { readonly url: string; readonly version: string | null; readonly shape: VicsShape; readonly schemeHint: string | null };

/** The country segment of a 2.0 metadata URL (`.../2.0.xml/UK/$metadata#Media`) as a category scheme. */
const COUNTRY_SCHEMES: Readonly<Record<string, string>> = { us: 'vics-us', uk: 'caid-uk' };

/** Version and shape from a metadata URL such as `.../DataModels/1.2.xml#Media` or `.../2.0.xml/US/$metadata#Cases`. */
export function vicsMetadata(url: string): VicsMetadata {
  const version = /(\d+\.\d+)\.xml/i.exec(url)?.[1] ?? null;
  const fragment = url.includes('#') ? url.slice(url.lastIndexOf('#') + 1) : '';
  const set = /^(?:Collection\()?([A-Za-z]+)/.exec(fragment)?.[1]?.toLowerCase() ?? '';
  const country = /\.xml\/([A-Za-z]+)\/\$metadata/i.exec(url)?.[1]?.toLowerCase() ?? '';
  const schemeHint = COUNTRY_SCHEMES[country] ?? null;
  if (set === 'media') return { url, version, shape: 'media', schemeHint };
  if (set === 'cases') return { url, version, shape: 'cases', schemeHint };
  throw new HashSetFormatError(`unsupported VICS JSON: its metadata names ${fragment === '' ? 'no entity set' : `'#${fragment}'`}, not #Media or #Cases`, 'unsupported');
}

/** Follows a VICS file's structure: the metadata, then each media record under `value` (or under each case's `Media`). */
class VicsWalk {
  metadata: VicsMetadata | null = null;
  private ordinal = 0;

  /**
   * `raw`: records (and complaints) are queued there in file order, for the caller to read,
   * instead of read here. `splitter`: the scanner is fed bytes (values come as Latin-1 text), and
   * runs of media records are taken from the bytes with it.
   */
  constructor(
    private readonly sink: EntrySink | null,
    private readonly sniffing: boolean,
    private readonly raw: RawItem[] | null = null,
    private readonly splitter: ObjectSplitter | null = null,
  ) {}

  /** A value's text as the file means it (the scanner fed bytes gives each byte as a character). */
  private text(json: string): string {
    return this.splitter === null ? json : Buffer.from(json, 'latin1').toString('utf8');
  }

  collectFrom(path: JsonPath, bytes: Buffer, at: number, line: number): { count: number; next: number; lines: number } | null {
    if (this.raw === null || this.splitter === null || !this.isMediaList(path)) return null;
    const split = this.splitter(bytes, at, SPLIT_RECORDS);
    const count = split.count;
    if (count === 0) return null;
    // A copy: the scanner lets go of its bytes at the next feed.
    const first = split.starts[0] ?? at;
    const last = split.ends[count - 1] ?? at;
    this.raw.push({
      bytes: Buffer.from(bytes.subarray(first, last)),
      starts: split.starts.map((s) => s - first),
      ends: split.ends.map((e) => e - first),
      lines: split.lineOffsets.map((l) => l + line),
      firstOrdinal: this.ordinal + 1,
    });
    this.ordinal += count;
    return { count, next: split.next, lines: split.lines };
  }

  route(path: JsonPath): JsonRoute {
    const depth = path.length;
    if (depth === 0 || depth === 1) {
      if (depth === 1 && path[0] === 'value') {
        if (this.metadata === null) throw new HashSetFormatError(`not ${NOUN}: no odata.metadata or @odata.context before its value array`);
        if (this.sniffing) return 'stop';
      }
      return 'walk';
    }
    if (path[0] !== 'value') return 'walk';
    if (typeof path[1] !== 'number') throw new HashSetFormatError(`not ${NOUN}: its value is not an array`);
    if (this.metadata?.shape === 'media') return depth === 2 ? 'collect' : 'walk';
    return depth === 4 && path[2] === 'Media' ? 'collect' : 'walk';
  }

  value(path: JsonPath, json: string, line: number): void {
    if (path.length === 1) {
      const key = path[0] as string;
      if (METADATA_KEYS.has(key) && this.metadata === null) {
        const url: unknown = JSON.parse(this.text(json));
        if (typeof url !== 'string') throw new HashSetFormatError(`not ${NOUN}: its ${key} is not a URL`);
        this.metadata = vicsMetadata(url);
      } else if (key === 'value') throw new HashSetFormatError(`not ${NOUN}: its value is not an array`);
      return;
    }
    if (path[0] !== 'value' || this.sink === null) return;
    if (this.isMediaList(path)) this.media(this.text(json), line);
    else if (this.metadata?.shape === 'cases' && path.length === 2) {
      const reason = `case ${(path[1] as number) + 1}: not an object`;
      if (this.raw !== null) this.raw.push({ json: null, line, reason });
      else this.sink.malformed(line, reason);
    }
  }

  /** Whether `path` (ending in an element index) is inside an array of media records. */
  private isMediaList(path: JsonPath): boolean {
    const shape = this.metadata?.shape;
    return path[0] === 'value' && ((shape === 'media' && path.length === 2) || (shape === 'cases' && path.length === 4 && path[2] === 'Media'));
  }

  private media(json: string, line: number): void {
    this.ordinal++;
    if (this.raw !== null) this.raw.push({ json, line, ordinal: this.ordinal });
    else if (this.sink !== null) readMedia(json, this.ordinal, line, this.sink);
  }
}

function readMedia(json: string, ordinal: number, line: number, sink: EntryTarget): void {
  let media: unknown;
  try {
    media = JSON.parse(json);
  } catch {
    sink.malformed(line, `media ${ordinal}: not valid JSON`);
    return;
  }
  addMedia(media, ordinal, line, sink);
}

function syntaxError(error: unknown): never {
  if (error instanceof JsonSyntaxError) throw new HashSetFormatError(`the VICS JSON file breaks off at line ${error.line}: it ${error.message}`, 'corrupt');
  throw error;
}

/** Checks the start of the file: a JSON object whose metadata URL comes before `value`. */
async function sniff(source: FileSource, head: Buffer): Promise<VicsMetadata> {
  const encoding = textEncodingOf(head);
  const start = head.toString(encoding.encoding, encoding.bomBytes, Math.min(head.length, encoding.bomBytes + 256)).trimStart();
  if (!looksLikeText(head) || !start.startsWith('{')) throw new HashSetFormatError(`not ${NOUN}: it does not start with a JSON object`);
  const walk = new VicsWalk(null, true);
  const scanner = new JsonScanner(walk);
  let read = 0;
  try {
    for await (const text of source.text(encoding)) {
      if (!scanner.feed(text)) break;
      read += text.length;
      if (read >= SNIFF_BYTES) break;
    }
    if (!scanner.isStopped && read < SNIFF_BYTES) scanner.end();
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new HashSetFormatError(`not ${NOUN}: line ${error.line} ${error.message}`);
    throw error;
  }
  if (walk.metadata === null) throw new HashSetFormatError(`not ${NOUN}: no odata.metadata or @odata.context near its start`);
  if (!scanner.isStopped) throw new HashSetFormatError(`not ${NOUN}: no value array`);
  return walk.metadata;
}

class VicsReader extends StreamedReader {
  private prepackText: Buffer | null = null;

  constructor(
    private readonly source: FileSource,
    private readonly head: Buffer,
    metadata: VicsMetadata,
  ) {
    super({ format: 'vics', version: metadata.version, properties: { metadata: metadata.url, shape: metadata.shape }, schemeHint: metadata.schemeHint, totalBytes: source.size, noun: NOUN });
  }

  bytesRead(): number {
    return this.source.bytesRead;
  }

  close(): Promise<void> {
    return this.source.close();
  }

  prepackedEntries(packer: RecordPacker, splitter: ObjectSplitter | null = null): AsyncIterable<PrepackedEntries | readonly ImportedEntry[]> | null {
    const encoding = textEncodingOf(this.head);
    if (encoding.encoding !== 'utf8') return null;
    this.beginPass();
    return this.prepacked(packer, splitter, encoding.bomBytes);
  }

  private async *prepacked(packer: RecordPacker, splitter: ObjectSplitter | null, bomBytes: number): AsyncGenerator<PrepackedEntries | readonly ImportedEntry[]> {
    const items: RawItem[] = [];
    const scanner = new JsonScanner(new VicsWalk(this.sink, false, items, splitter));
    // With a splitter the scanner reads the bytes (records go to the packer as they lie), else
    // decoded text (records are encoded again for it).
    const pieces: AsyncIterable<string | Buffer> = splitter !== null ? this.source.chunks(bomBytes) : this.source.text(textEncodingOf(this.head));
    try {
      for await (const piece of pieces) {
        if (typeof piece === 'string') scanner.feed(piece);
        else scanner.feedBytes(piece);
        if (items.reduce((n, item) => n + recordsIn(item), 0) >= PREPACK_RECORDS) yield* this.pack(items.splice(0), packer);
      }
      scanner.end();
    } catch (error) {
      syntaxError(error);
    }
    yield* this.pack(items.splice(0), packer);
    this.requireSomethingRead();
  }

  /** Items in file order: runs of records to the packer, each record it declines read here, complaints to the sink. */
  private *pack(items: readonly RawItem[], packer: RecordPacker): Generator<PrepackedEntries | readonly ImportedEntry[]> {
    // Records are written into one buffer, reused, as many at a time as surely fit (3 bytes of
    // UTF-8 per UTF-16 unit at most); a record larger than the whole buffer is read here. Runs
    // found in the bytes go as they are.
    const text = (this.prepackText ??= Buffer.allocUnsafe(PREPACK_TEXT_BYTES));
    let run: RawRecord[] = [];
    let ends: number[] = [];
    let at = 0;
    const flush = () => {
      const records = run;
      const written = this.packRun(text.subarray(0, at), Uint32Array.from(ends), null, (i) => records[i], packer);
      [run, ends, at] = [[], [], 0];
      return written;
    };
    for (const item of items) {
      if (!isRun(item) && item.json !== null && item.json.length * 3 <= text.length) {
        if (at + item.json.length * 3 > text.length) yield* flush();
        at += text.write(item.json, at, 'utf8');
        run.push(item);
        ends.push(at);
        continue;
      }
      yield* flush();
      if (isRun(item)) {
        yield* this.packRun(item.bytes, item.ends, item.starts, (i) => ({ json: item.bytes.toString('utf8', item.starts[i], item.ends[i]), line: item.lines[i] ?? 0, ordinal: item.firstOrdinal + i }), packer);
      } else if (item.json === null) this.sink.malformed(item.line, item.reason);
      else yield* this.readDeclined(item);
    }
    yield* flush();
  }

  /**
   * One run of records (record i of `text` is [starts[i], ends[i]), or without starts ends at
   * ends[i]) through the packer; the ones it declines (`record(i)`) are read here.
   */
  private *packRun(
    text: Buffer,
    ends: Uint32Array,
    starts: Uint32Array | null,
    record: (i: number) => RawRecord | undefined,
    packer: RecordPacker,
  ): Generator<PrepackedEntries | readonly ImportedEntry[]> {
    for (let start = 0; start < ends.length; ) {
      const { next, packed } = packer(text, ends, start, starts ?? undefined);
      if (packed !== null && packed.count > 0) {
        this.sink.countValid(packed.count);
        yield packed;
      }
      const declined = next < ends.length ? record(next) : undefined;
      if (declined === undefined) return;
      yield* this.readDeclined(declined);
      start = next + 1;
    }
  }

  /** A record the packer declined (or could not be given), read the usual way. */
  private *readDeclined(record: RawRecord): Generator<readonly ImportedEntry[]> {
    const entries: ImportedEntry[] = [];
    readMedia(record.json, record.ordinal, record.line, { add: (e) => entries.push(e), malformed: (line, reason) => this.sink.malformed(line, reason) });
    if (entries.length === 0) return;
    this.sink.countValid(entries.length);
    yield entries;
  }

  protected async *batches(): AsyncGenerator<ImportedEntry[]> {
    const scanner = new JsonScanner(new VicsWalk(this.sink, false));
    try {
      for await (const text of this.source.text(textEncodingOf(this.head))) {
        scanner.feed(text);
        yield* this.sink.takeFull();
      }
      scanner.end();
    } catch (error) {
      syntaxError(error);
    }
    yield* this.sink.takeAll();
  }
}

export async function openVics(file: OpenedFile): Promise<HashSetReader> {
  return new VicsReader(file.source, file.head, await sniff(file.source, file.head));
}
