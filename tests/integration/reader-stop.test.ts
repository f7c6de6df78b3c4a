// An import stopped (a lock, a shutdown) terminates its reader thread wherever it is, including
// inside custos-native's VICS packer: the process must live on. Before the addon returned nothing
// to a terminating thread, this ended it with a fatal error or a segmentation fault.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastLineOfChild } from '../fixtures/child-process.js';
import { writeVics2MediaFile } from '../fixtures/hashset-files.js';

const base = mkdtempSync(join(tmpdir(), 'custos-reader-stop-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('stopping the hash-set reader thread', () => {
  it('survives the thread terminated at random moments while it packs', { timeout: 180_000 }, async () => {
    const file = join(base, 'media.json');
    await writeVics2MediaFile(file, { count: 200_000 });
    const child = join(import.meta.dirname, 'reader-stop-in-child.ts');
    expect(await lastLineOfChild(child, [file, '30'])).toBe('survived 30');
  });
});
