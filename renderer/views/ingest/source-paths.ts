import { ValidationProblem } from '../../components/validation';

// The engine resolves paths on the workstation; a relative path would depend on the directory the
// engine happened to start in, so only absolute POSIX or Windows paths are taken.
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

/** One path per line, as typed or pasted; blank lines dropped, duplicates kept once. */
export function parseSourcePaths(text: string): readonly string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    // Paths copied from a file manager often arrive quoted.
    const path = line.trim().replace(/^(["'])(.*)\1$/, '$2');
    if (path !== '') seen.add(path);
  }
  return [...seen];
}

export function isAbsolutePath(path: string): boolean {
  return ABSOLUTE.test(path);
}

export function sourcePathsProblem(paths: readonly string[]): ValidationProblem | null {
  if (paths.length === 0) return new ValidationProblem('validation.pathsRequired');
  const relative = paths.find((path) => !isAbsolutePath(path));
  return relative === undefined ? null : new ValidationProblem('validation.pathAbsolute', { path: relative });
}
