// A streaming JSON scanner for files far larger than memory (VICS exports run to gigabytes). It
// walks the structure a chunk at a time and, where the caller says so, hands over a whole value as
// its JSON text (a VICS media record: small), for JSON.parse. Only the structure between such values
// is tokenised here; inside them it only finds the end (strings skipped with indexOf).
//
// (stream-json, a token-per-event parser, measured about 50 MB/s on a VICS file here: too slow for
// the 200 000 entries/s an import must reach. Parsing runs of elements with one JSON.parse each was
// tried too, and gained nothing over parsing element by element.)

export type JsonPath = readonly (string | number)[];

/** walk: descend into an object or array (scalars go to `value`); collect: hand the whole value to `value`; stop: end the scan. */
export type JsonRoute = 'walk' | 'collect' | 'stop';

export interface JsonScanHandler {
  route(path: JsonPath): JsonRoute;
  /** A collected value, or a scalar at a walked position: its JSON text, and the 1-based line it starts on. */
  value(path: JsonPath, json: string, line: number): void;
  /**
   * For a scanner fed bytes (feedBytes), at an object starting an element of a collected array:
   * the handler may take whole elements from there itself, straight from the bytes (the element
   * at `at`, on `line`, and those after it), and say how many, where the last ends and how many
   * newlines that spans; null or none taken, and the scanner reads the element itself.
   */
  collectFrom?(path: JsonPath, bytes: Buffer, at: number, line: number): { readonly count: number; readonly next: number; readonly lines: number } | null;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const FIRST = 0; // just opened: a key or '}' (object), a value or ']' (array)
const NEXT = 1; // after ',': a key (object) or a value (array)
const COLON = 2; // object, after a key
const VALUE = 3; // object, after ':'
const AFTER = 4; // after a value: ',' or the closing bracket

/** An open object or array; `route` caches the handler's answer for an array's elements (asked once per array). */
type Frame = { readonly array: boolean; state: number; route: JsonRoute | null };

/**
 * A single value held back waiting for its end may not grow past this: a VICS media record is a
 * few kilobytes, and the reader thread's heap is small (reader-thread/thread.ts).
 */
const MAX_PENDING_CHARS = 4 * 1024 * 1024;

const LITERAL = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

export class JsonScanner {
  private buf = '';
  /** Fed bytes: the bytes `buf` holds one character each (Latin-1), structure being ASCII. */
  private bytes: Buffer | null = null;
  private pos = 0;
  private line = 1;
  private readonly frames: Frame[] = [];
  /** The path of the value being read: one key or index per open frame (handed to the handler live, not copied). */
  private readonly path: (string | number)[] = [];
  private rootDone = false;
  private stopped = false;

  /** The handler's route is asked once per object member, and once per array for all its elements. */
  constructor(private readonly handler: JsonScanHandler) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Scans the next piece of text; false once the handler has said stop. */
  feed(text: string): boolean {
    // join, not +: it makes one flat string, which the scan loop reads faster than a concatenation.
    this.buf = this.pos < this.buf.length ? [this.buf.slice(this.pos), text].join('') : text;
    return this.scanFed();
  }

  /**
   * Scans the next bytes of a UTF-8 file, each taken as one character (JSON's structure is ASCII,
   * and UTF-8 bytes above 0x7f never stand for it): values reach the handler as Latin-1 text, for
   * it to decode; its collectFrom is offered the bytes themselves. Not to be mixed with feed().
   */
  feedBytes(chunk: Buffer): boolean {
    const rest = this.bytes !== null && this.pos < this.bytes.length ? this.bytes.subarray(this.pos) : null;
    this.bytes = rest === null ? chunk : Buffer.concat([rest, chunk]);
    this.buf = this.bytes.toString('latin1');
    return this.scanFed();
  }

  /** Scans `buf`, just fed, from its start; a value left pending may not grow past MAX_PENDING_CHARS. */
  private scanFed(): boolean {
    this.pos = 0;
    this.scan(false);
    if (!this.stopped && this.buf.length - this.pos > MAX_PENDING_CHARS) {
      throw new JsonSyntaxError('holds a value longer than 4 MiB (no hash-set record is)', this.line);
    }
    return !this.stopped;
  }

  /** The end of the text: throws when it ends inside a value. */
  end(): void {
    this.scan(true);
    if (this.stopped) return;
    if (!this.rootDone) throw new JsonSyntaxError(this.frames.length > 0 || this.buf.length > this.pos ? 'ends part-way (truncated?)' : 'is empty', this.line);
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.line);
  }

  private scan(final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    const { frames, path, handler } = this;
    let pos = this.pos;
    while (!this.stopped) {
      let c = 0;
      while (pos < len) {
        c = buf.charCodeAt(pos);
        if (c === 32 || c === 9 || c === 13) pos++;
        else if (c === 10) {
          this.line++;
          pos++;
        } else break;
      }
      if (pos >= len) break;
      const top = frames.length - 1;
      const frame = frames[top];
      if (frame === undefined) {
        if (this.rootDone) this.fail('has more after its end');
      } else if (frame.state === AFTER) {
        if (c === 44) {
          frame.state = NEXT;
          if (frame.array) path[top] = (path[top] as number) + 1;
          pos++;
        } else if (c === (frame.array ? 93 : 125)) {
          this.close();
          pos++;
        } else this.fail(`expects ',' or '${frame.array ? ']' : '}'}'`);
        continue;
      } else if (!frame.array && frame.state !== VALUE) {
        if (frame.state === COLON) {
          if (c !== 58) this.fail("expects ':' after a property name");
          frame.state = VALUE;
          pos++;
        } else if (c === 125 && frame.state === FIRST) {
          this.close();
          pos++;
        } else if (c === 34) {
          const end = stringEnd(buf, pos);
          if (end < 0) break;
          path[top] = JSON.parse(buf.slice(pos, end)) as string;
          frame.state = COLON;
          pos = end;
        } else this.fail('expects a property name');
        continue;
      } else if (frame.array && frame.state === FIRST && c === 93) {
        this.close();
        pos++;
        continue;
      }
      // A value starts at pos.
      let route: JsonRoute;
      if (frame?.array === true) route = frame.route ??= handler.route(path);
      else route = handler.route(path);
      if (route === 'stop') {
        this.stopped = true;
        break;
      }
      if (c === 123 && route === 'collect' && frame?.array === true && this.bytes !== null && handler.collectFrom !== undefined) {
        const taken = handler.collectFrom(path, this.bytes, pos, this.line);
        if (taken !== null && taken.count > 0) {
          path[top] = (path[top] as number) + taken.count - 1;
          this.line += taken.lines;
          pos = taken.next;
          frame.state = AFTER;
          continue;
        }
      }
      if ((c === 123 || c === 91) && route === 'walk') {
        frames.push({ array: c === 91, state: FIRST, route: null });
        path.push(c === 91 ? 0 : '');
        pos++;
        continue;
      }
      let end: number;
      let lines = 0;
      if (c === 123 || c === 91) {
        end = containerEnd(buf, pos);
        lines = containerLines;
      } else if (c === 34) {
        end = stringEnd(buf, pos);
      } else {
        let i = pos;
        while (i < len) {
          const d = buf.charCodeAt(i);
          if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
          i++;
        }
        end = i < len || final ? i : -1;
        if (end >= 0 && !LITERAL.test(buf.slice(pos, end))) this.fail(`has an unexpected ${JSON.stringify(buf.slice(pos, Math.min(end, pos + 20)))}`);
      }
      if (end < 0) break;
      handler.value(path, buf.slice(pos, end), this.line);
      this.line += lines;
      pos = end;
      if (frame === undefined) this.rootDone = true;
      else frame.state = AFTER;
    }
    this.pos = pos;
  }

  /** Closes the innermost object or array: its parent now has a value behind it. */
  private close(): void {
    this.frames.pop();
    this.path.pop();
    const parent = this.frames[this.frames.length - 1];
    if (parent === undefined) this.rootDone = true;
    else parent.state = AFTER;
  }
}

/** Newlines inside the last container containerEnd found (a second result, without an allocation per value). */
let containerLines = 0;

/** The index just past the object or array starting at `start`, or -1 when it does not end in `buf`. */
function containerEnd(buf: string, start: number): number {
  const len = buf.length;
  let depth = 0;
  let lines = 0;
  let i = start;
  while (i < len) {
    const d = buf.charCodeAt(i);
    if (d === 34) {
      i = stringEnd(buf, i);
      if (i < 0) return -1;
      continue;
    }
    if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      if (--depth === 0) {
        containerLines = lines;
        return i + 1;
      }
    } else if (d === 10) lines++;
    i++;
  }
  return -1;
}

/** The index just past the string starting at `start` (a '"'), or -1 when it does not end in `buf`. */
function stringEnd(buf: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = buf.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let k = quote - 1; buf.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}
