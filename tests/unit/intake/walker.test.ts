import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unescapeBytes } from '../../../electron/intake/display-bytes.js';
import { displayPath, fileLocator, pathBuffer, type Locator } from '../../../electron/intake/locator.js';
import { openLocator, readLocator } from '../../../electron/intake/read.js';
import { SourceReadError } from '../../../electron/intake/read-error.js';
import { statSource, walkFolder, type WalkEntry } from '../../../electron/intake/walker.js';
import { snapshotTree } from '../../fixtures/tree-snapshot.js';

let base: string;
let root: string;
let outside: string;
let server: Server;
let entries: WalkEntry[];
let before: Map<string, string>;
/** Root (CAP_DAC_OVERRIDE) reads through chmod 000; the assertions follow what the kernel does. */
let permissionsBypassed: boolean;
const badName = Buffer.concat([Buffer.from('bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]);
const bigContent = randomBytes(200_000);

const byPath = (relPath: string): WalkEntry => {
  const entry = entries.find((e) => e.relPath === relPath);
  if (entry === undefined) throw new Error(`no entry ${relPath}`);
  return entry;
};
const fileEntry = (relPath: string) => {
  const entry = byPath(relPath);
  if (entry.kind !== 'file') throw new Error(`${relPath} is a ${entry.kind}`);
  return entry;
};
const roundTrip = (locator: Locator): Locator => JSON.parse(JSON.stringify(locator)) as Locator;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'custos-walker-'));
  root = join(base, 'source');
  outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'outside the source');
  mkdirSync(join(root, 'b', 'd'), { recursive: true });
  writeFileSync(join(root, 'a.txt'), 'alpha');
  writeFileSync(join(root, 'B.txt'), 'upper case sorts first');
  writeFileSync(join(root, 'b', 'c.txt'), 'gamma');
  writeFileSync(join(root, 'b', 'd', 'e.bin'), bigContent);
  writeFileSync(join(root, 'empty.dat'), '');
  writeFileSync(Buffer.concat([Buffer.from(`${root}/`), badName]), 'a name that is not UTF-8');
  writeFileSync(join(root, 'new\nline.txt'), 'newline');
  symlinkSync('a.txt', join(root, 'link-to-file'));
  symlinkSync(outside, join(root, 'link-out'));
  symlinkSync('loop2', join(root, 'loop1'));
  symlinkSync('loop1', join(root, 'loop2'));
  symlinkSync('.', join(root, 'self'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  server = createServer();
  await new Promise<void>((resolve) => server.listen(join(root, 'sock'), resolve));
  mkdirSync(join(root, 'locked-dir'));
  writeFileSync(join(root, 'locked-dir', 'hidden.txt'), 'hidden');
  writeFileSync(join(root, 'locked.txt'), 'locked');
  // atime before mtime: on a relatime mount any ordinary read would now move the atime.
  utimesSync(join(root, 'a.txt'), new Date('2001-02-03T04:05:06.789Z'), new Date('2002-03-04T05:06:07.891Z'));
  chmodSync(join(root, 'locked.txt'), 0);
  chmodSync(join(root, 'locked-dir'), 0);
  try {
    readdirSync(join(root, 'locked-dir'));
    permissionsBypassed = true;
  } catch {
    permissionsBypassed = false;
  }

  before = snapshotTree(root);
  entries = [];
  for await (const entry of walkFolder(root)) entries.push(entry);
});

afterAll(async () => {
  chmodSync(join(root, 'locked-dir'), 0o755);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(base, { recursive: true, force: true });
});

describe('walkFolder', () => {
  it('yields everything depth first, sorted by raw name bytes, directories entered not yielded', () => {
    expect(entries.map((e) => `${e.kind} ${e.relPath}`)).toEqual([
      'file B.txt',
      'file a.txt',
      'file b/c.txt',
      'file b/d/e.bin',
      'file bad-\\xff\\xfe.txt',
      'file empty.dat',
      'special fifo',
      'symlink link-out',
      'symlink link-to-file',
      permissionsBypassed ? 'file locked-dir/hidden.txt' : 'error locked-dir',
      'file locked.txt',
      'symlink loop1',
      'symlink loop2',
      'file new\\x0aline.txt',
      'symlink self',
      'special sock',
    ]);
  });

  it('records symlinks with their targets and follows none (out of the source, loops, to itself)', () => {
    expect(byPath('link-out')).toMatchObject({ kind: 'symlink', linkTarget: outside });
    expect(byPath('link-to-file')).toMatchObject({ kind: 'symlink', linkTarget: 'a.txt' });
    expect(byPath('loop1')).toMatchObject({ kind: 'symlink', linkTarget: 'loop2' });
    expect(byPath('self')).toMatchObject({ kind: 'symlink', linkTarget: '.' });
    expect(entries.some((e) => e.relPath.includes('secret'))).toBe(false);
    expect(entries.filter((e) => e.relPath.startsWith('self/') || e.relPath.startsWith('link-out/'))).toEqual([]);
  });

  it('counts FIFOs and sockets as special files without opening them', () => {
    expect(byPath('fifo')).toMatchObject({ kind: 'special', specialType: 'fifo' });
    expect(byPath('sock')).toMatchObject({ kind: 'special', specialType: 'socket' });
  });

  it('records lstat times, size, mode and inode taken before any read', () => {
    const a = fileEntry('a.txt');
    expect(a.times.atime).toBe('2001-02-03T04:05:06.789Z');
    expect(a.times.mtime).toBe('2002-03-04T05:06:07.891Z');
    expect(a.times.ctime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(a.times.birthtime === null || /Z$/.test(a.times.birthtime)).toBe(true);
    const s = lstatSync(join(root, 'a.txt'), { bigint: true });
    expect(a).toMatchObject({ size: 5, inode: s.ino.toString(), uid: Number(s.uid), gid: Number(s.gid), mode: Number(s.mode) });
    expect(fileEntry('empty.dat').size).toBe(0);
    expect(fileEntry('b/d/e.bin').size).toBe(bigContent.length);
  });

  it('gives every file a JSON-safe locator whose display path is the relative path', () => {
    for (const entry of entries) {
      if (entry.kind !== 'file') continue;
      const locator = roundTrip(entry.locator);
      expect(displayPath(locator, root)).toBe(entry.relPath);
      expect(pathBuffer(locator.kind === 'file' ? locator.path : { base64: '' }).toString('utf8')).not.toBe('');
    }
  });

  it('finds a name that is not UTF-8, shows it visibly and reversibly, and its locator reopens the same bytes', async () => {
    const entry = fileEntry('bad-\\xff\\xfe.txt');
    expect(unescapeBytes(entry.relPath).equals(badName)).toBe(true);
    const locator = roundTrip(entry.locator);
    expect(locator.kind === 'file' && pathBuffer(locator.path).equals(Buffer.concat([Buffer.from(`${root}/`), badName]))).toBe(true);
    expect((await readLocator(locator, 1024)).toString()).toBe('a name that is not UTF-8');
  });

  it('treats chmod 000 the way the kernel does for this user', async () => {
    const locked = fileEntry('locked.txt');
    expect(locked.mode & 0o777).toBe(0);
    if (permissionsBypassed) {
      // Running with CAP_DAC_OVERRIDE (root): permissions do not bind, so the content is reachable.
      expect((await readLocator(locked.locator, 100)).toString()).toBe('locked');
      expect(fileEntry('locked-dir/hidden.txt').size).toBe(6);
    } else {
      expect(byPath('locked-dir')).toEqual({ kind: 'error', relPath: 'locked-dir', error: 'directory cannot be listed: permission denied' });
      await expect(readLocator(locked.locator, 100)).rejects.toMatchObject({ code: 'permission-denied', message: 'permission denied' });
    }
  });

  it('reads every file byte-exact through its locator and leaves the tree untouched, atimes included', async () => {
    const expected: Record<string, Buffer> = {
      'B.txt': Buffer.from('upper case sorts first'),
      'a.txt': Buffer.from('alpha'),
      'b/c.txt': Buffer.from('gamma'),
      'b/d/e.bin': bigContent,
      'bad-\\xff\\xfe.txt': Buffer.from('a name that is not UTF-8'),
      'empty.dat': Buffer.alloc(0),
      'locked-dir/hidden.txt': Buffer.from('hidden'),
      'locked.txt': Buffer.from('locked'),
      'new\\x0aline.txt': Buffer.from('newline'),
    };
    let read = 0;
    for (const entry of entries) {
      if (entry.kind !== 'file' || (!permissionsBypassed && entry.relPath === 'locked.txt')) continue;
      const { stream, size, atimePreserved } = await openLocator(roundTrip(entry.locator));
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      expect(size).toBe(entry.size);
      expect(atimePreserved).toBe(true);
      expect(Buffer.concat(chunks).equals(expected[entry.relPath] ?? Buffer.from('?')), entry.relPath).toBe(true);
      read += 1;
    }
    expect(read).toBe(permissionsBypassed ? 9 : 7);
    expect((await readLocator(fileEntry('b/d/e.bin').locator, 1e9)).equals(bigContent)).toBe(true);
    expect((await readLocator(fileEntry('b/d/e.bin').locator, 10)).equals(bigContent.subarray(0, 10))).toBe(true);
    expect((await readLocator(fileEntry('empty.dat').locator, 10)).length).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('is meaningful here: an ordinary read would have moved the atime that O_NOATIME kept', () => {
    const control = join(base, 'control.txt');
    writeFileSync(control, 'control');
    utimesSync(control, new Date('2001-01-01T00:00:00Z'), new Date('2002-01-01T00:00:00Z'));
    readFileSync(control);
    const moved = lstatSync(control).atime.toISOString() !== '2001-01-01T00:00:00.000Z';
    if (!moved) console.info('this file system does not update atimes (noatime): the atime check above is vacuous here');
    expect(typeof moved).toBe('boolean');
  });

  it('refuses, without following or blocking, a file path that is now a symlink, a FIFO or a directory', async () => {
    const at = (name: string) => fileLocator(join(root, name));
    await expect(openLocator(at('link-to-file'))).rejects.toMatchObject({ code: 'not-a-file', message: 'is a symbolic link (never followed)' });
    await expect(openLocator(at('fifo'))).rejects.toMatchObject({ code: 'not-a-file', message: 'not a regular file' });
    await expect(openLocator(at('b'))).rejects.toMatchObject({ code: 'not-a-file', message: 'is a directory' });
    await expect(openLocator(at('gone.txt'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('can be stopped early without walking the rest', async () => {
    const seen: string[] = [];
    for await (const entry of walkFolder(root)) {
      seen.push(entry.relPath);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['B.txt', 'a.txt']);
  });

  it('refuses a root that is not a directory (a symlinked root is not followed)', async () => {
    const linkRoot = join(base, 'link-root');
    symlinkSync(root, linkRoot);
    const first = async (path: string) => {
      for await (const entry of walkFolder(path)) return entry;
      return null;
    };
    await expect(first(linkRoot)).rejects.toBeInstanceOf(SourceReadError);
    await expect(first(join(root, 'a.txt'))).rejects.toMatchObject({ code: 'not-a-file' });
    await expect(first(join(base, 'missing'))).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('statSource', () => {
  it('gives the same lstat facts for a source root, file or folder', async () => {
    expect(await statSource(root)).toMatchObject({ kind: 'directory' });
    const a = await statSource(join(root, 'a.txt'));
    expect(a).toMatchObject({ kind: 'file', size: 5, times: { atime: '2001-02-03T04:05:06.789Z', mtime: '2002-03-04T05:06:07.891Z' } });
    expect(await statSource(join(root, 'link-out'))).toMatchObject({ kind: 'symlink' });
  });

  it('shows a single-file source by its base name', () => {
    expect(displayPath({ kind: 'file', path: { base64: Buffer.from('/media/x/photos.zip').toString('base64') } }, '/media/x/photos.zip')).toBe(
      'photos.zip',
    );
  });
});
