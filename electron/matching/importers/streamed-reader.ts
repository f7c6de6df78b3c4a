// What every reader shares: one pass over its batches, the malformed report, and the rule that a
// file which yields nothing valid but malformed records is not that format after all (thrown at
// the end, so the caller rolls back whatever it stored).
import { EntrySink } from './entry-sink.js';
import { HashSetFormatError, type HashSetFormat, type HashSetReader, type ImportedEntry, type MalformedReport } from './types.js';

export type ReaderInfo = {
  readonly format: HashSetFormat;
  readonly version: string | null;
  readonly properties: Readonly<Record<string, string>>;
  readonly schemeHint?: string | null;
  readonly totalBytes: number;
  /** How the format is named in messages, with its article: 'a VICS JSON file', 'an md5 list', ... */
  readonly noun: string;
};

export abstract class StreamedReader implements HashSetReader {
  readonly format: HashSetFormat;
  readonly version: string | null;
  readonly properties: Readonly<Record<string, string>>;
  readonly schemeHint: string | null;
  readonly totalBytes: number;
  protected readonly noun: string;
  protected readonly sink = new EntrySink();
  private started = false;

  constructor(info: ReaderInfo) {
    this.format = info.format;
    this.version = info.version;
    this.properties = info.properties;
    this.schemeHint = info.schemeHint ?? null;
    this.totalBytes = info.totalBytes;
    this.noun = info.noun;
  }

  abstract bytesRead(): number;
  abstract close(): Promise<void>;
  /** The batches, taken from `this.sink` as they fill, the last partial one included. */
  protected abstract batches(): AsyncGenerator<ImportedEntry[]>;

  entries(): AsyncIterable<readonly ImportedEntry[]> {
    this.beginPass();
    return this.run();
  }

  protected beginPass(): void {
    if (this.started) throw new Error('a hash-set reader is read once: open the file again');
    this.started = true;
  }

  malformed(): MalformedReport {
    return this.sink.report();
  }

  private async *run(): AsyncGenerator<readonly ImportedEntry[]> {
    yield* this.batches();
    this.requireSomethingRead();
  }

  /** At the end of a pass: a file with malformed records and no valid one is not this format. */
  protected requireSomethingRead(): void {
    const report = this.sink.report();
    const first = report.first[0];
    if (this.sink.validCount === 0 && first !== undefined) {
      const records = report.count === 1 ? 'its only record' : `any of its ${report.count} records`;
      throw new HashSetFormatError(`not ${this.noun}: could not read ${records} (line ${first.line}: ${first.reason})`, 'no-entries');
    }
  }
}
