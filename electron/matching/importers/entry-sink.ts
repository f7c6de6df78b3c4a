// Where a reader's parser puts what it reads: entries gathered into batches of BATCH_SIZE, and
// malformed records counted with the first few kept (line and reason) for the import report.
import { BATCH_SIZE, MAX_MALFORMED_REPORTED, type ImportedEntry, type MalformedLine, type MalformedReport } from './types.js';

/** Where a record's entries and complaints go. */
export interface EntryTarget {
  add(entry: ImportedEntry): void;
  malformed(line: number, reason: string): void;
}

export class EntrySink implements EntryTarget {
  private batch: ImportedEntry[] = [];
  private readonly full: ImportedEntry[][] = [];
  private valid = 0;
  private malformedCount = 0;
  private readonly firstMalformed: MalformedLine[] = [];

  add(entry: ImportedEntry): void {
    this.batch.push(entry);
    this.valid++;
    if (this.batch.length >= BATCH_SIZE) {
      this.full.push(this.batch);
      this.batch = [];
    }
  }

  malformed(line: number, reason: string): void {
    this.malformedCount++;
    if (this.firstMalformed.length < MAX_MALFORMED_REPORTED) this.firstMalformed.push({ line, reason });
  }

  /** The full batches gathered so far (taken: the sink forgets them). */
  takeFull(): ImportedEntry[][] {
    return this.full.length === 0 ? [] : this.full.splice(0);
  }

  /** Everything left, full batches then the partial one. */
  takeAll(): ImportedEntry[][] {
    const out = this.takeFull();
    if (this.batch.length > 0) out.push(this.batch);
    this.batch = [];
    return out;
  }

  /** Entries that went another way (pre-packed), counted as read. */
  countValid(n: number): void {
    this.valid += n;
  }

  get validCount(): number {
    return this.valid;
  }

  report(): MalformedReport {
    return { count: this.malformedCount, first: [...this.firstMalformed] };
  }
}
