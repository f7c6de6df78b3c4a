// Bundles the Node side for the packaged app (the renderer is Vite's job):
//   dist/electron/main/index.js      Electron main (ESM)
//   dist/electron/main/preload.cjs   sandboxed preload (sandboxed preloads must be CommonJS)
//   dist/electron/engine/host.js     the engine, run in the utility process (ESM)
//   dist/electron/cli/main.js        the `custos` command line, shipped with the app (ESM)
//   dist/electron/{engine,cli}/analysis-worker.js   the analysis worker next to each pool user
//   dist/electron/{engine,cli}/hashset-reader-worker.js   the hash-set reader thread next to each importer
//   dist/electron/{engine,cli}/kdf-worker.js   the passphrase KDF's thread next to each store opener
// plus the store's SQL migrations next to each bundle that contains the store code.
// Usage: node scripts/build-electron.mjs [main|preload|engine|cli ...] [--out=DIR]
import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// --out=DIR lets tests build into a temporary directory instead of dist/electron.
const outArg = process.argv.find((a) => a.startsWith('--out='));
const out = outArg ? resolve(outArg.slice('--out='.length)) : join(root, 'dist', 'electron');

// Native addons and packages that locate their own files at run time (piscina spawns its
// worker by path, sharp and the SQLite drivers load .node files) stay in node_modules,
// where electron-builder rebuilds them for Electron and unpacks them from the asar.
const nativeExternals = [
  'better-sqlite3-multiple-ciphers',
  '@signalapp/sqlcipher',
  'custos-native',
  'sharp',
  'piscina',
  'heic-decode',
  'libheif-js',
];

// CommonJS dependencies bundled into ESM still call require(); give them one.
const requireShim = "import { createRequire as __custosCreateRequire } from 'node:module'; const require = __custosCreateRequire(import.meta.url);";

/**
 * The browser-mode server is for development and tests only: it must not ship. Imports of
 * electron/cli/serve(.ts|.js) stay as imports of ./serve.js, which the package leaves out.
 */
export const leaveOutDevServer = {
  name: 'leave-out-dev-server',
  setup(b) {
    b.onResolve({ filter: /(^|\/)serve(\.[cm]?[jt]s)?$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      if (relative(join(root, 'electron', 'cli'), target).replace(/\.[cm]?[jt]s$/, '') !== 'serve') return undefined;
      return { path: './serve.js', external: true };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  sourcemap: false,
  absWorkingDir: root,
};

const esm = { ...common, format: 'esm', banner: { js: requireShim } };

export const bundles = [
  { name: 'main', options: { ...esm, entryPoints: ['electron/main/index.ts'], outfile: join(out, 'main', 'index.js'), external: ['electron'] } },
  {
    name: 'preload',
    options: { ...common, format: 'cjs', entryPoints: ['electron/main/preload.ts'], outfile: join(out, 'main', 'preload.cjs'), external: ['electron'] },
  },
  {
    name: 'engine',
    options: { ...esm, entryPoints: ['electron/api/utility-host.ts'], outfile: join(out, 'engine', 'host.js'), external: ['electron', ...nativeExternals] },
    migrations: true,
  },
  {
    name: 'cli',
    options: {
      ...esm,
      entryPoints: ['electron/cli/main.ts'],
      outfile: join(out, 'cli', 'main.js'),
      external: ['electron', ...nativeExternals],
      plugins: [leaveOutDevServer],
    },
    migrations: true,
  },
];

// electron/analysis/pool.ts looks for ./analysis-worker.js next to the bundle it is part of, and
// electron/matching/reader-thread/thread.ts for ./hashset-reader-worker.js, electron/store/kdf.ts
// for ./kdf-worker.js.
for (const dir of ['engine', 'cli']) {
  bundles.push({
    name: `${dir}-worker`,
    options: { ...esm, entryPoints: ['electron/analysis/worker.ts'], outfile: join(out, dir, 'analysis-worker.js'), external: ['electron', ...nativeExternals] },
  });
  bundles.push({
    name: `${dir}-hashset-reader`,
    options: {
      ...esm,
      entryPoints: ['electron/matching/reader-thread/worker.ts'],
      outfile: join(out, dir, 'hashset-reader-worker.js'),
      external: ['electron', ...nativeExternals],
    },
  });
  bundles.push({
    name: `${dir}-kdf`,
    options: { ...esm, entryPoints: ['electron/store/kdf-worker.mjs'], outfile: join(out, dir, 'kdf-worker.js') },
  });
}

async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

// electron/store/migrate.ts reads new URL('./migrations/', import.meta.url); inside a bundle
// import.meta.url is the bundle itself, so the .sql files go next to it.
async function copyMigrations(bundleDir) {
  const from = join(root, 'electron', 'store', 'migrations');
  if (!(await exists(from))) return 0;
  const files = (await readdir(from)).filter((f) => f.endsWith('.sql'));
  const to = join(bundleDir, 'migrations');
  await rm(to, { recursive: true, force: true });
  await mkdir(to, { recursive: true });
  await Promise.all(files.map((f) => cp(join(from, f), join(to, f))));
  return files.length;
}

async function main() {
  const only = new Set(process.argv.slice(2).filter((a) => !a.startsWith('--')));
  const selected = bundles.filter((b) => only.size === 0 || only.has(b.name));
  if (selected.length === 0) throw new Error(`unknown bundle; choose from: ${bundles.map((b) => b.name).join(', ')}`);

  for (const bundle of selected) {
    await build(bundle.options);
    const copied = bundle.migrations ? await copyMigrations(dirname(bundle.options.outfile)) : 0;
    const note = bundle.migrations ? ` (+${copied} migrations)` : '';
    console.error(`built ${relative(root, bundle.options.outfile)}${note}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
