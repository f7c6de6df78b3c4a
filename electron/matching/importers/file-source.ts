// One open hash-set file: its head (for sniffing), then its bytes in chunks as text or binary,
// with the count of bytes consumed for progress. The handle is owned here and closed once.
import { isAscii } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { HashSetFormatError } from './types.js';

export const CHUNK_BYTES = 1 << 20;
/** Enough of the start of a file to recognise its format and read a header and a few records. */
export const HEAD_BYTES = 64 * 1024;

/** A file being opened as a hash set: its source and its first bytes, for the readers to check before reading on. */
export type OpenedFile = { readonly source: FileSource; readonly head: Buffer };

export type TextEncoding = { readonly encoding: 'utf8' | 'utf16le'; readonly bomBytes: number };

export class FileSource {
  private consumed = 0;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new HashSetFormatError(`not a hash-set file: ${path} is not a regular file`);
      return new FileSource(handle, path, stat.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get bytesRead(): number {
    return this.consumed;
  }

  /** The first `bytes` bytes (fewer for a short file); does not count as progress. */
  async head(bytes = HEAD_BYTES): Promise<Buffer> {
    const buffer = Buffer.alloc(Math.min(bytes, this.size));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await this.handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  }

  /** The bytes from `start` to the end, in chunks of at most `chunkBytes` (each a fresh buffer). */
  async *chunks(start = 0, chunkBytes = CHUNK_BYTES): AsyncGenerator<Buffer> {
    let position = start;
    this.consumed = start;
    for (;;) {
      if (this.closed) return;
      const buffer = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await this.handle.read(buffer, 0, chunkBytes, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      this.consumed = position;
      yield bytesRead === chunkBytes ? buffer : buffer.subarray(0, bytesRead);
    }
  }

  /** The file's text after its byte-order mark, decoded chunk by chunk (a character split across chunks is kept whole). */
  async *text(encoding: TextEncoding): AsyncGenerator<string> {
    if (encoding.encoding === 'utf16le') {
      const decoder = new StringDecoder('utf16le');
      for await (const chunk of this.chunks(encoding.bomBytes)) yield decoder.write(chunk);
      const rest = decoder.end();
      if (rest !== '') yield rest;
      return;
    }
    let pending: Buffer | null = null;
    for await (const chunk of this.chunks(encoding.bomBytes)) {
      const data: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
      // Hash sets are nearly all ASCII: decoding it as latin1 is a copy (and makes a one-byte string).
      if (isAscii(data)) {
        pending = null;
        yield data.toString('latin1');
        continue;
      }
      const cut = completeUtf8Length(data);
      pending = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
      yield data.toString('utf8', 0, cut);
    }
    if (pending !== null) yield pending.toString('utf8');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** The text encoding a file's first bytes announce: UTF-8 unless a UTF-16LE byte-order mark says otherwise. */
export function textEncodingOf(head: Buffer): TextEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bomBytes: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomBytes: 2 };
  return { encoding: 'utf8', bomBytes: 0 };
}

export function isUtf16BigEndian(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0xfe && head[1] === 0xff;
}

/** The head as text (byte-order mark dropped), and whether it is the whole file. */
export function headText(head: Buffer, fileSize: number): { readonly text: string; readonly complete: boolean } {
  const { encoding, bomBytes } = textEncodingOf(head);
  const decoder = new StringDecoder(encoding);
  const complete = head.length >= fileSize;
  const text = decoder.write(head.subarray(bomBytes)) + (complete ? decoder.end() : '');
  return { text, complete };
}

/** Whether the head looks like text: no NUL bytes (UTF-16 text is recognised by its byte-order mark). */
export function looksLikeText(head: Buffer): boolean {
  if (textEncodingOf(head).encoding === 'utf16le') return true;
  return !head.includes(0);
}

/** The length of `data` without a UTF-8 sequence cut off at its end (kept for the next chunk). */
function completeUtf8Length(data: Buffer): number {
  let k = data.length - 1;
  let continuation = 0;
  while (k >= 0 && continuation < 3 && ((data[k] ?? 0) & 0xc0) === 0x80) {
    k--;
    continuation++;
  }
  if (k < 0) return data.length;
  const lead = data[k] ?? 0;
  const needs = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return needs > continuation ? k : data.length;
}
