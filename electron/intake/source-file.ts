// Opening evidence files. Read-only is enforced by the flags, not by care:
//   O_RDONLY   no write flag, ever;
//   O_NOATIME  reading does not move the access time (only permitted to the file's owner or
//              CAP_FOWNER: on EPERM we open without it rather than not at all);
//   O_NOFOLLOW a file swapped for a symlink after the walk is refused, not followed out of the source;
//   O_NONBLOCK a file swapped for a FIFO cannot hang the worker in open(2).
import { close, constants, fstat, open } from 'node:fs';
import { promisify } from 'node:util';
import { SourceReadError, describeFsError } from './read-error.js';

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);

const BASE_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
// Undefined where the platform has no such flag (macOS, Windows).
const NOATIME: number = constants.O_NOATIME ?? 0;

export type SourceFile = { readonly fd: number; readonly size: number; readonly atimePreserved: boolean };

async function openFlags(path: Buffer): Promise<{ fd: number; atimePreserved: boolean }> {
  if (NOATIME !== 0) {
    try {
      return { fd: await openFd(path, BASE_FLAGS | NOATIME), atimePreserved: true };
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EPERM')) throw error;
    }
  }
  return { fd: await openFd(path, BASE_FLAGS), atimePreserved: false };
}

/** Opens a regular file for reading only; the caller owns (and closes) the descriptor. */
export async function openSourceFile(path: Buffer): Promise<SourceFile> {
  let opened: { fd: number; atimePreserved: boolean };
  try {
    opened = await openFlags(path);
  } catch (error) {
    const { code, message } = describeFsError(error);
    throw new SourceReadError(code, message);
  }
  try {
    const stats = await fstatFd(opened.fd);
    if (!stats.isFile()) throw new SourceReadError('not-a-file', stats.isDirectory() ? 'is a directory' : 'not a regular file');
    return { fd: opened.fd, size: stats.size, atimePreserved: opened.atimePreserved };
  } catch (error) {
    await closeFd(opened.fd).catch(() => undefined);
    if (error instanceof SourceReadError) throw error;
    const { code, message } = describeFsError(error);
    throw new SourceReadError(code, message);
  }
}
