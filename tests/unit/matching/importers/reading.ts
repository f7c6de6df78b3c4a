// Shared by the importer tests: read a whole hash set, and write small files into a temp folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHashSet, type HashSetFormat, type HashSetReader, type ImportedEntry, type MalformedReport } from '../../../../electron/matching/importers/index.js';

export type ReadResult = { readonly reader: HashSetReader; readonly entries: ImportedEntry[]; readonly malformed: MalformedReport; readonly batches: number[] };

export async function readAll(path: string, format: HashSetFormat | 'auto'): Promise<ReadResult> {
  const reader = await openHashSet(path, format);
  try {
    const entries: ImportedEntry[] = [];
    const batches: number[] = [];
    for await (const batch of reader.entries()) {
      batches.push(batch.length);
      entries.push(...batch);
    }
    return { reader, entries, malformed: reader.malformed(), batches };
  } finally {
    await reader.close();
  }
}

/** The error openHashSet or reading throws (fails the test when there is none). */
export async function readError(path: string, format: HashSetFormat | 'auto'): Promise<Error & { code?: string }> {
  try {
    await readAll(path, format);
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error(`${path} read as ${format} without an error`);
}

export const hex = (b: Buffer | null): string | null => (b === null ? null : b.toString('hex'));

/** A temp folder for one test file; `dispose` removes it. */
export class TempFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'custos-importers-'));

  write(name: string, content: string | Buffer): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
