// The text formats (plain lists, PDQ lists, NSRL RDS v2, HashKeeper, ICSE, generic CSV) are read
// line by line: the file is decoded a chunk at a time and each complete line handed to the
// format's parser, which adds entries or reports the line as malformed.
import type { EntrySink } from './entry-sink.js';
import { headText, type FileSource, type TextEncoding } from './file-source.js';
import { StreamedReader, type ReaderInfo } from './streamed-reader.js';
import type { ImportedEntry } from './types.js';

export interface LineParser {
  /** One line without its line break, numbered from 1; blank lines, comments and headers are the parser's to skip. */
  line(text: string, lineNo: number, sink: EntrySink): void;
}

/** A line with no break in a mebibyte is not a hash-set line: reported once and skipped. */
const MAX_LINE_CHARS = 1 << 20;

export class LineReader extends StreamedReader {
  constructor(
    private readonly source: FileSource,
    private readonly encoding: TextEncoding,
    private readonly parser: LineParser,
    info: Omit<ReaderInfo, 'totalBytes'>,
  ) {
    super({ ...info, totalBytes: source.size });
  }

  bytesRead(): number {
    return this.source.bytesRead;
  }

  close(): Promise<void> {
    return this.source.close();
  }

  protected async *batches(): AsyncGenerator<ImportedEntry[]> {
    const { parser, sink } = this;
    let carry = '';
    let lineNo = 0;
    let skippingLongLine = false;
    for await (const chunk of this.source.text(this.encoding)) {
      const text = carry === '' ? chunk : [carry, chunk].join(''); // one flat string, not a concatenation
      let start = 0;
      for (;;) {
        const newline = text.indexOf('\n', start);
        if (newline < 0) break;
        lineNo++;
        if (skippingLongLine) skippingLongLine = false;
        else parser.line(text.slice(start, newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline), lineNo, sink);
        start = newline + 1;
      }
      carry = text.slice(start);
      if (carry.length > MAX_LINE_CHARS) {
        if (!skippingLongLine) sink.malformed(lineNo + 1, 'line longer than 1 MiB (not a text hash set?)');
        skippingLongLine = true;
        carry = '';
      }
      yield* sink.takeFull();
    }
    if (carry !== '' && !skippingLongLine) parser.line(carry.endsWith('\r') ? carry.slice(0, -1) : carry, lineNo + 1, sink);
    yield* sink.takeAll();
  }
}

/** The complete lines of a file's head (a last partial line dropped unless the head is the whole file), numbered from 1. */
export function headLines(head: Buffer, fileSize: number, max = 200): { readonly text: string; readonly lineNo: number }[] {
  const { text, complete } = headText(head, fileSize);
  const parts = text.split('\n');
  if (!complete) parts.pop();
  return parts.slice(0, max).map((line, i) => ({ text: line.endsWith('\r') ? line.slice(0, -1) : line, lineNo: i + 1 }));
}
