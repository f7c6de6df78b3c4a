// custos-native, the C++ addon in native/, for the modules that have a faster path through it.
// Null where it is not built, or where CUSTOS_NO_NATIVE=1 asks for the TypeScript paths (their
// tests run so): each caller checks for what it needs, since an older build may lack it, and
// falls back to its TypeScript path, slower and with the same results.
import { createRequire } from 'node:module';

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
