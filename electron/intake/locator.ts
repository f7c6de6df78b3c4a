// Where an item's bytes live. Locators are stored in the database and posted to workers, so they
// are plain JSON; file-system paths are kept as their exact bytes (Linux names need not be UTF-8,
// and a lossy path would open a different file or none).
import { resolve } from 'node:path';
import { escapeBytes } from './display-bytes.js';

/** A file-system path as its exact bytes, base64 so it survives JSON. */
export type PathBytes = { readonly base64: string };

export type FileLocator = { readonly kind: 'file'; readonly path: PathBytes };

/**
 * An entry of a zip archive. `index` is its position in the central directory (the identity);
 * `name` is the entry's display name from `listZip`, checked on open so a locator cannot silently
 * read a different entry of a different archive.
 */
export type ZipEntryLocator = {
  readonly kind: 'zip-entry';
  readonly container: Locator;
  readonly index: number;
  readonly name: string;
};

export type Locator = FileLocator | ZipEntryLocator;

export function pathBytes(path: Buffer | string): PathBytes {
  const bytes = typeof path === 'string' ? Buffer.from(path, 'utf8') : path;
  return { base64: bytes.toString('base64') };
}

/** The Buffer form `fs` takes, so no name is re-encoded on the way to the kernel. */
export function pathBuffer(path: PathBytes): Buffer {
  return Buffer.from(path.base64, 'base64');
}

/**
 * The absolute form of a path, so a locator opens the same file from any working directory (a
 * worker's, a later session's). Buffer paths are not normalised: their bytes are kept.
 */
export function absolutePath(path: Buffer | string): Buffer {
  if (typeof path === 'string') return Buffer.from(resolve(path), 'utf8');
  return path[0] === 0x2f ? path : Buffer.concat([Buffer.from(`${process.cwd()}/`, 'utf8'), path]);
}

export function fileLocator(path: Buffer | string): FileLocator {
  return { kind: 'file', path: pathBytes(absolutePath(path)) };
}

export function zipEntryLocator(container: Locator, index: number, name: string): ZipEntryLocator {
  return { kind: 'zip-entry', container, index, name };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Shape check for locators that crossed a boundary (database, worker message). */
export function isLocator(value: unknown): value is Locator {
  for (let at: unknown = value, depth = 0; depth <= 64; depth += 1) {
    if (!isRecord(at)) return false;
    if (at.kind === 'file') return isRecord(at.path) && typeof at.path.base64 === 'string' && BASE64.test(at.path.base64);
    if (at.kind !== 'zip-entry' || typeof at.name !== 'string') return false;
    if (typeof at.index !== 'number' || !Number.isInteger(at.index) || at.index < 0) return false;
    at = at.container;
  }
  return false;
}

/** A locator from its JSON text; malformed input is an error, never a guess. */
export function parseLocator(json: string): Locator {
  const value: unknown = JSON.parse(json);
  if (!isLocator(value)) throw new TypeError('not a valid locator');
  return value;
}

/** How many archives deep the bytes are: 0 for a file, 1 for an entry of a zip file, ... */
export function locatorDepth(locator: Locator): number {
  let depth = 0;
  for (let at: Locator = locator; at.kind === 'zip-entry'; at = at.container) depth += 1;
  return depth;
}

/** A stable identity for caches (independent of JSON key order; names are checked, not keyed). */
export function locatorKey(locator: Locator): string {
  return locator.kind === 'file' ? `f:${locator.path.base64}` : `${locatorKey(locator.container)}!${locator.index}`;
}

function relativeBytes(path: Buffer, root: Buffer): Buffer {
  const trimmed = root.length > 1 && root[root.length - 1] === 0x2f ? root.subarray(0, -1) : root;
  if (path.equals(trimmed)) {
    // A single-file source (a zip given on its own): show its base name.
    const slash = trimmed.lastIndexOf(0x2f);
    return trimmed.subarray(slash + 1);
  }
  const under = trimmed.length === 1 && trimmed[0] === 0x2f ? trimmed.subarray(0, 0) : trimmed;
  if (path.length > under.length + 1 && path[under.length] === 0x2f && path.subarray(0, under.length).equals(under)) {
    return path.subarray(under.length + 1);
  }
  return path;
}

/**
 * Human path relative to the source root: `photos/2019.zip!/inner.zip!/a.jpg`. Bytes that are not
 * printable UTF-8 appear as `\xNN` (reversible with `unescapeBytes`); a path outside the root is
 * shown in full.
 */
export function displayPath(locator: Locator, sourceRoot: PathBytes | Buffer | string): string {
  if (locator.kind === 'zip-entry') return `${displayPath(locator.container, sourceRoot)}!/${locator.name}`;
  const root = absolutePath(Buffer.isBuffer(sourceRoot) || typeof sourceRoot === 'string' ? sourceRoot : pathBuffer(sourceRoot));
  return escapeBytes(relativeBytes(pathBuffer(locator.path), root));
}
