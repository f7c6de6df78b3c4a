// Why the bytes of a source could not be read. Workers send `code` and `message` back to the engine
// (which records them on the item), so the message is one line fit for the item's error column.

export type SourceReadErrorCode =
  | 'not-found'
  | 'permission-denied'
  | 'not-a-file' // a directory, FIFO, device, or a symlink (never followed)
  | 'encrypted'
  | 'unsupported' // a compression method other than stored or deflate
  | 'limit' // a zip limit: expansion ratio, declared sizes, nesting depth, nested archive size
  | 'corrupt' // malformed archive, or data shorter or longer than declared
  | 'mismatch' // the locator's entry name is not the name at that index: a different archive
  | 'changed' // the file's size changed while it was read: evidence is not what was walked
  | 'io';

export class SourceReadError extends Error {
  constructor(
    readonly code: SourceReadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SourceReadError';
  }
}

/** The errno codes a walk or read meets, as the one-line words an investigator reads. */
export function describeFsError(error: unknown): { code: SourceReadErrorCode; message: string } {
  const errno = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : '';
  switch (errno) {
    case 'EACCES':
    case 'EPERM':
      return { code: 'permission-denied', message: 'permission denied' };
    case 'ENOENT':
      return { code: 'not-found', message: 'not found (removed since it was listed?)' };
    case 'ENOTDIR':
      return { code: 'not-found', message: 'not a directory (changed since it was listed?)' };
    case 'ELOOP':
      return { code: 'not-a-file', message: 'is a symbolic link (never followed)' };
    case 'EISDIR':
      return { code: 'not-a-file', message: 'is a directory' };
    case 'EIO':
      return { code: 'io', message: 'input/output error (damaged media?)' };
    case 'ENAMETOOLONG':
      return { code: 'io', message: 'path too long' };
    default: {
      const text = error instanceof Error ? error.message : String(error);
      return { code: 'io', message: (text.split('\n')[0] ?? text).slice(0, 200) };
    }
  }
}
