// Hostile and broken evidence: each case ends as a recorded item error or a clear skip, the
// ingest completes, nothing crashes, and the custody log still verifies.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemView } from '../../electron/api/contract.js';
import { syntheticImage } from '../fixtures/synthetic-images.js';
import { craftZip, setFlagBits, yazlZip, zeros } from '../fixtures/zips.js';
import { asAliceOn, initStore, type TempStore } from './cli-harness.js';

/** A PNG whose IHDR claims 100000 x 100000 pixels, with a valid CRC and a tiny IDAT. */
function bogusHugePng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const isRoot = process.getuid?.() === 0;

describe('ingest of hostile and broken evidence', () => {
  let t: TempStore;
  let items: ItemView[];
  let ingest: { code: number; stdout: string; stderr: string };
  const item = (suffix: string) => items.find((i) => i.path.endsWith(suffix));

  beforeAll(async () => {
    t = initStore();
    const root = join(t.base, 'hostile');
    mkdirSync(join(root, 'loop'), { recursive: true });
    const jpeg = await syntheticImage(21, { width: 640, height: 480 });
    writeFileSync(join(root, 'empty.dat'), Buffer.alloc(0));
    writeFileSync(join(root, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 3)));
    writeFileSync(join(root, 'huge-header.png'), bogusHugePng());
    writeFileSync(join(root, 'bomb.zip'), await yazlZip([{ name: 'zeros.bin', stream: () => zeros(300 * 1024 * 1024) }, { name: 'ok.txt', data: Buffer.from('fine\n') }]));
    writeFileSync(join(root, 'traversal.zip'), craftZip([{ name: '../../etc/evil.txt', data: Buffer.from('escape\n') }, { name: '/abs/path.txt', data: Buffer.from('absolute\n') }]));
    const plain = await yazlZip([{ name: 'secret.txt', data: Buffer.from('password protected\n') }, { name: 'open.txt', data: Buffer.from('not protected\n') }]);
    writeFileSync(join(root, 'encrypted.zip'), setFlagBits(plain, 0, 0x1));
    symlinkSync('b', join(root, 'loop', 'a'));
    symlinkSync('a', join(root, 'loop', 'b'));
    symlinkSync('..', join(root, 'loop', 'up'));
    writeFileSync(join(root, 'locked.txt'), 'no access\n');
    chmodSync(join(root, 'locked.txt'), 0o000);
    writeFileSync(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x66, 0x6f, 0x74, 0x6f, 0xff, 0xfe, 0x2e, 0x6a, 0x70, 0x67])]), jpeg);
    execFileSync('mkfifo', [join(root, 'pipe')]);

    expect(asAliceOn(t, ['case', 'create', '--number', 'X-1', '--title', 'Hostile']).code).toBe(0);
    expect(asAliceOn(t, ['exhibit', 'add', '--case', 'X-1', '--number', 'E1', '--description', 'disk']).code).toBe(0);
    ingest = asAliceOn(t, ['ingest', '--case', 'X-1', '--exhibit', 'E1', root]);
    items = JSON.parse(asAliceOn(t, ['items', '--case', 'X-1', '--json']).stdout) as ItemView[];
  }, 120_000);
  afterAll(() => {
    chmodSync(join(t.base, 'hostile', 'locked.txt'), 0o600);
    t.dispose();
  });

  it('the ingest completes', () => {
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/^ingest \d+ done:/);
  });

  it('a 0-byte file is an ordinary item with the empty digests', () => {
    expect(item('/empty.dat')).toMatchObject({ size: 0, md5: 'd41d8cd98f00b204e9800998ecf8427e', error: null });
  });

  it('a truncated JPEG and a PNG claiming 100000x100000 are item errors, with their digests kept', () => {
    expect(item('/truncated.jpg')).toMatchObject({ mime: 'image/jpeg', pdq: null, error: expect.stringMatching(/.+/) });
    expect(item('/truncated.jpg')?.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(item('/huge-header.png')).toMatchObject({ mime: 'image/png', pdq: null, error: expect.stringMatching(/pixel|large|limit/i) });
  });

  it('a zip bomb entry is refused with its reason, its honest sibling is read', () => {
    expect(item('bomb.zip!/zeros.bin')).toMatchObject({ md5: null, error: expect.stringMatching(/ratio|expan/i) });
    expect(item('bomb.zip!/ok.txt')).toMatchObject({ md5: createHash('md5').update('fine\n').digest('hex'), error: null });
  });

  it('path-traversal names are neutralised inside their archive', () => {
    const inside = items.filter((i) => i.path.includes('traversal.zip!/'));
    expect(inside).toHaveLength(2);
    for (const i of inside) {
      const name = i.path.split('traversal.zip!/')[1] ?? '';
      expect(name.split('/')).not.toContain('..');
      expect(name.startsWith('/')).toBe(false);
      expect(i.md5).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('an encrypted entry is recorded as such, never read', () => {
    expect(item('encrypted.zip!/secret.txt')).toMatchObject({ md5: null, error: expect.stringMatching(/encrypt/i) });
    expect(item('encrypted.zip!/open.txt')?.md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it('symlinks (a loop, one pointing out) are recorded and not followed', () => {
    for (const name of ['/loop/a', '/loop/b', '/loop/up']) expect(item(name), name).toMatchObject({ md5: null, error: null });
    expect(items.filter((i) => i.path.includes('/loop/')).length).toBe(3);
  });

  it('an unreadable file is an item error (or, as root, readable as root reads it)', () => {
    const locked = item('/locked.txt');
    if (isRoot) expect(locked).toMatchObject({ md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
    else expect(locked).toMatchObject({ md5: null, error: expect.stringMatching(/permission/i) });
  });

  it('a name that is not UTF-8 is shown with visible escapes and still hashed', () => {
    const odd = items.find((i) => i.path.includes('foto\\xff\\xfe.jpg'));
    expect(odd).toMatchObject({ mime: 'image/jpeg', error: null });
    expect(odd?.pdq).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the FIFO is skipped and counted, and custody verifies', () => {
    expect(items.some((i) => i.path.endsWith('/pipe'))).toBe(false);
    const log = JSON.parse(asAliceOn(t, ['custody', 'log', '--json']).stdout) as { action: string; details: Record<string, unknown> }[];
    expect(log.find((e) => e.action === 'ingest.source')?.details).toMatchObject({ specials: 1, symlinks: 3 });
    expect(asAliceOn(t, ['custody', 'verify']).code).toBe(0);
  });
});
