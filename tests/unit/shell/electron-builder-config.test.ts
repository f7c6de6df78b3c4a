import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type BuilderConfig = {
  appId?: string;
  productName?: string;
  directories?: { output?: string };
  files?: string[];
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  linux?: { target?: string[]; category?: string };
  win?: { target?: string[] };
  nsis?: Record<string, unknown>;
  afterPack?: string;
  electronFuses?: unknown;
  publish?: unknown;
};

// js-yaml comes with electron-builder; its types do not, hence the require.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const text = readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8');
const config = load(text) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(config.appId).toBe('org.custos.workstation');
    expect(config.productName).toBe('Custos');
    expect(config.directories?.output).toBe('release');
  });

  it('ships the bundles, not the sources or the development server', () => {
    expect(config.files).toContain('dist/**/*');
    expect(config.files).toContain('package.json');
    expect(config.files).toContain('!dist/electron/cli/serve*');
    expect(config.files?.some((f) => /^(electron|renderer|tests|scripts)\b/.test(f))).toBe(false);
  });

  it('packs into an asar with native modules unpacked and rebuilt for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('builds AppImage and deb for Linux, NSIS for Windows', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Utility');
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, deleteAppDataOnUninstall: false });
  });

  it('flips fuses in after-pack, not through electronFuses', () => {
    expect(config.afterPack).toBe('scripts/after-pack.cjs');
    expect(config.electronFuses).toBeUndefined();
  });

  it('publishes nowhere: the workstation is air-gapped', () => {
    expect(Object.hasOwn(config, 'publish')).toBe(true);
    expect(config.publish).toBeNull();
  });
});
