// Walks a folder source: one entry per thing found, in a stable order (depth first, names sorted by
// their raw bytes), streaming so a tree of a million files is never held in memory (only the
// sibling names along the current path are).
//
// Evidence rules: everything is lstat'ed before anything is read (the times recorded are the
// source's, not ours); symlinks are recorded with their target and never followed, so they cannot
// lead out of the source or round in a loop; FIFOs, sockets and devices are reported, never opened.
// One limit of plain Node: listing a directory or reading a symlink may update that directory's or
// link's own atime on a relatime mount (opendir and readlink take no O_NOATIME); file atimes are
// kept (read.ts). Mount evidence read-only (`ro,noatime`) or behind a write blocker for the rest.
import { lstat, readdir, readlink } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { escapeBytes } from './display-bytes.js';
import { absolutePath, fileLocator, type FileLocator } from './locator.js';
import { SourceReadError, describeFsError } from './read-error.js';

export type FileTimes = {
  readonly mtime: string;
  readonly ctime: string;
  readonly atime: string;
  /** null where the file system does not record a birth time. */
  readonly birthtime: string | null;
};

export type EntryStat = {
  readonly size: number;
  readonly times: FileTimes;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Decimal: inode numbers can exceed 2^53 (XFS, Btrfs). */
  readonly inode: string;
};

export type SpecialType = 'fifo' | 'socket' | 'char-device' | 'block-device';

export type WalkEntry =
  | (EntryStat & { readonly kind: 'file'; readonly relPath: string; readonly locator: FileLocator })
  | (EntryStat & { readonly kind: 'symlink'; readonly relPath: string; readonly linkTarget: string | null })
  | (EntryStat & { readonly kind: 'special'; readonly relPath: string; readonly specialType: SpecialType })
  | { readonly kind: 'error'; readonly relPath: string; readonly error: string };

export type SourceStat = EntryStat & { readonly kind: 'file' | 'directory' | 'symlink' | 'special' };

export type WalkOptions = {
  /** Do not descend into other mounted file systems (like `find -xdev`); each is reported as an error entry. */
  readonly oneFileSystem?: boolean;
};

const iso = (ms: bigint): string => new Date(Number(ms)).toISOString();

function entryStat(stats: BigIntStats): EntryStat {
  return {
    size: Number(stats.size),
    times: {
      mtime: iso(stats.mtimeMs),
      ctime: iso(stats.ctimeMs),
      atime: iso(stats.atimeMs),
      birthtime: stats.birthtimeNs === 0n ? null : iso(stats.birthtimeMs),
    },
    mode: Number(stats.mode),
    uid: Number(stats.uid),
    gid: Number(stats.gid),
    inode: stats.ino.toString(),
  };
}

function specialType(stats: BigIntStats): SpecialType | null {
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'char-device';
  if (stats.isBlockDevice()) return 'block-device';
  return null;
}

const asBuffer = (path: string | Buffer): Buffer => (typeof path === 'string' ? Buffer.from(path, 'utf8') : path);
const SLASH = Buffer.from('/');
const join = (dir: Buffer, name: Buffer): Buffer =>
  Buffer.concat(dir.length > 0 && dir[dir.length - 1] === 0x2f ? [dir, name] : [dir, SLASH, name]);
const fsError = (error: unknown): string => describeFsError(error).message;

async function lstatSource(path: Buffer): Promise<BigIntStats> {
  try {
    return await lstat(path, { bigint: true });
  } catch (error) {
    const { code, message } = describeFsError(error);
    throw new SourceReadError(code, message);
  }
}

function sourceKind(stats: BigIntStats): SourceStat['kind'] {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return stats.isSymbolicLink() ? 'symlink' : 'special';
}

/** Times, size and ownership of a source root (file or folder), from lstat, before it is read. */
export async function statSource(path: string | Buffer): Promise<SourceStat> {
  const stats = await lstatSource(asBuffer(path));
  return { kind: sourceKind(stats), ...entryStat(stats) };
}

type Frame = {
  readonly dir: Buffer;
  readonly rel: Buffer; // relative to the root, '' for the root itself
  readonly names: Buffer[];
  next: number;
  readonly id: string; // device:inode, to refuse a directory that contains itself (bind mounts)
  /** lstat results for names[batchStart ...], fetched together so the thread pool works on several. */
  batch: (BigIntStats | Error)[];
  batchStart: number;
};

const BATCH = 64;

function newFrame(dir: Buffer, rel: Buffer, names: Buffer[], id: string): Frame {
  return { dir, rel, names, next: 0, id, batch: [], batchStart: 0 };
}

async function statOf(frame: Frame, index: number): Promise<BigIntStats | Error> {
  if (index >= frame.batchStart + frame.batch.length) {
    const names = frame.names.slice(index, index + BATCH);
    frame.batch = await Promise.all(
      names.map((name) =>
        lstat(join(frame.dir, name), { bigint: true }).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error)),
        ),
      ),
    );
    frame.batchStart = index;
  }
  return frame.batch[index - frame.batchStart] ?? new Error('lstat result missing');
}

async function listNames(dir: Buffer): Promise<Buffer[]> {
  const names = await readdir(dir, { encoding: 'buffer' });
  return names.sort(Buffer.compare);
}

/**
 * Every file, symlink, special file and error under `root`. The root must be a directory itself
 * (by lstat: a symlinked root is refused; resolve it deliberately before, if intended).
 */
export async function* walkFolder(root: string | Buffer, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const rootPath = absolutePath(root);
  const rootLstat = await lstatSource(rootPath);
  if (!rootLstat.isDirectory()) {
    throw new SourceReadError('not-a-file', `source is not a directory (it is a ${sourceKind(rootLstat)})`);
  }
  const rootDevice = rootLstat.dev;
  let rootNames: Buffer[];
  try {
    rootNames = await listNames(rootPath);
  } catch (error) {
    const { code, message } = describeFsError(error);
    throw new SourceReadError(code, `source folder cannot be listed: ${message}`);
  }
  const stack: Frame[] = [newFrame(rootPath, Buffer.alloc(0), rootNames, `${rootLstat.dev}:${rootLstat.ino}`)];

  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame === undefined) break;
    const name = frame.names[frame.next];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    const stats = await statOf(frame, frame.next);
    frame.next += 1;
    const path = join(frame.dir, name);
    const rel = frame.rel.length === 0 ? name : join(frame.rel, name);
    const relPath = escapeBytes(rel);
    if (stats instanceof Error) {
      yield { kind: 'error', relPath, error: fsError(stats) };
      continue;
    }

    if (stats.isDirectory()) {
      const id = `${stats.dev}:${stats.ino}`;
      if (stack.some((f) => f.id === id)) {
        yield { kind: 'error', relPath, error: 'directory contains itself (bind mount loop): not entered' };
      } else if (options.oneFileSystem === true && stats.dev !== rootDevice) {
        yield { kind: 'error', relPath, error: 'another file system is mounted here: not entered' };
      } else {
        try {
          stack.push(newFrame(path, rel, await listNames(path), id));
        } catch (error) {
          yield { kind: 'error', relPath, error: `directory cannot be listed: ${fsError(error)}` };
        }
      }
    } else if (stats.isFile()) {
      yield { kind: 'file', relPath, locator: fileLocator(path), ...entryStat(stats) };
    } else if (stats.isSymbolicLink()) {
      let linkTarget: string | null = null;
      try {
        linkTarget = escapeBytes(await readlink(path, { encoding: 'buffer' }));
      } catch {
        // Recorded as a symlink with an unknown target: lstat already said what it is.
      }
      yield { kind: 'symlink', relPath, linkTarget, ...entryStat(stats) };
    } else {
      const type = specialType(stats);
      if (type === null) yield { kind: 'error', relPath, error: 'unknown file type' };
      else yield { kind: 'special', relPath, specialType: type, ...entryStat(stats) };
    }
  }
}
