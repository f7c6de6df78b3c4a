// custos-native, the C++ addon in native/, for the modules that have a faster path through it.
// Null where it is not built, or where CUSTOS_NO_NATIVE=1 asks for the TypeScript paths (their
// tests run so): each caller checks for what it needs, since an older build may lack it, and
// falls back to its TypeScript path, slower and with the same results.
import { createRequire } from 'node:module';
import { sep } from 'node:path';

const resolveFrom = createRequire(import.meta.url);

const disabled = (): boolean => process.env.CUSTOS_NO_NATIVE === '1';

/** The addon's exports, as far as the caller knows them. */
export function nativeAddon<T extends object>(): Partial<T> | null {
  if (disabled()) return null;
  try {
    return resolveFrom('custos-native') as Partial<T>;
  } catch {
    return null;
  }
}

/** The path of a file the addon's package ships (`build/Release/custos_rows.node`), or null as for nativeAddon. */
export function nativeFile(relative: string): string | null {
  if (disabled()) return null;
  try {
    return resolveFrom.resolve(`custos-native/${relative}`);
  } catch {
    return null;
  }
}

/** A connection that can load a SQLite extension (better-sqlite3's, whose typings know only the file argument). */
type ExtensionHost = { loadExtension(file: string): unknown };

let extensionPath: string | null | undefined;

/**
 * Loads one of the SQLite extensions in custos_rows.node (native/src/sqlite_rows.c,
 * sqlite_rds.c) into a connection by its entry point; false where it is not built or not loaded.
 * SQL itself can never load one: better-sqlite3 allows it through the C API alone.
 */
export function loadSqliteExtension(db: ExtensionHost, entryPoint: string): boolean {
  if (disabled()) return false;
  // Packaged, native files live beside the asar archive, where SQLite's own loader can open them.
  extensionPath ??= nativeFile('build/Release/custos_rows.node')?.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`) ?? null;
  if (extensionPath === null) return false;
  try {
    (db.loadExtension as (file: string, entryPoint: string) => unknown).call(db, extensionPath, entryPoint);
    return true;
  } catch {
    return false;
  }
}
