// `custos hash` digests equal the coreutils tools' on generated files, including an empty file
// and a sparse file larger than 2^31 bytes (offsets past 32 bits).
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemView } from '../../electron/api/contract.js';
import { seeded } from '../fixtures/synthetic-images.js';
import { custos } from './cli-harness.js';

const coreutils = (tool: string, file: string) => execFileSync(tool, [file], { encoding: 'utf8' }).split(' ')[0];

describe('custos hash against md5sum, sha1sum, sha256sum', () => {
  let dir: string;
  const files: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'custos-hash-'));
    const rnd = seeded(42);
    const sizes = [0, 1, 55, 56, 63, 64, 65, 4095, 4096, 65_537, 3_000_001];
    for (const size of sizes) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 1) bytes[i] = Math.floor(rnd() * 256);
      const path = join(dir, `random-${size}.bin`);
      writeFileSync(path, bytes);
      files.push(path);
    }
    // 2.25 GiB, nearly all hole, with data at both ends and across the 2^31 boundary.
    const sparse = join(dir, 'sparse.img');
    const fd = openSync(sparse, 'w');
    ftruncateSync(fd, 2.25 * 1024 ** 3);
    writeSync(fd, Buffer.from('start of disk\n'), 0, 14, 0);
    writeSync(fd, Buffer.from('straddles 2^31'), 0, 14, 2 ** 31 - 7);
    writeSync(fd, Buffer.from('end'), 0, 3, 2.25 * 1024 ** 3 - 3);
    closeSync(fd);
    files.push(sparse);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same MD5, SHA-1 and SHA-256 for every file', () => {
    const r = custos(['hash', '--json', ...files]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ItemView[];
    expect(out.map((o) => o.path)).toEqual(files);
    for (const o of out) {
      expect({ path: o.path, md5: o.md5, sha1: o.sha1, sha256: o.sha256 }).toEqual({
        path: o.path,
        md5: coreutils('md5sum', o.path),
        sha1: coreutils('sha1sum', o.path),
        sha256: coreutils('sha256sum', o.path),
      });
      expect(o.error).toBeNull();
    }
    expect(out.at(-1)?.size).toBe(2.25 * 1024 ** 3);
  }, 180_000);

  it('reports an unreadable path as an item error, not a crash', () => {
    const r = custos(['hash', '--json', join(dir, 'does-not-exist')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ md5: null, error: expect.stringMatching(/no such file|not found/i) })]);
  });
});
