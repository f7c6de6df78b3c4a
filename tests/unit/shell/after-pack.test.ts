import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, FuseVersion } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type PackContext = {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
};
type AfterPackModule = {
  (context: PackContext): Promise<void>;
  afterPack: (context: PackContext) => Promise<void>;
  fuseConfig(platform: string, arch: number): Promise<Record<string | number, unknown>>;
  electronBinaryPath(context: PackContext): string;
};

const require = createRequire(import.meta.url);
const afterPack = require('../../../scripts/after-pack.cjs') as AfterPackModule;

const ARCH = { x64: 1, arm64: 3 };
const fuseIndices = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');

describe('fuseConfig', () => {
  let config: Record<string | number, unknown> = {};
  beforeAll(async () => {
    config = await afterPack.fuseConfig('linux', ARCH.x64);
  });

  it('sets every fuse @electron/fuses knows, strictly', () => {
    expect(fuseIndices.length).toBeGreaterThanOrEqual(9);
    for (const index of fuseIndices) {
      expect(typeof config[index], FuseV1Options[index]).toBe('boolean');
    }
    expect(config.version).toBe(FuseVersion.V1);
    expect(config.strictlyRequireAllFuses).toBe(true);
  });

  it('locks the binary down', () => {
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(config[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(false);
    expect(config[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('re-signs ad hoc only for Apple silicon', async () => {
    expect((await afterPack.fuseConfig('darwin', ARCH.arm64)).resetAdHocDarwinSignature).toBe(true);
    expect((await afterPack.fuseConfig('darwin', ARCH.x64)).resetAdHocDarwinSignature).toBe(false);
    expect((await afterPack.fuseConfig('linux', ARCH.arm64)).resetAdHocDarwinSignature).toBe(false);
    expect((await afterPack.fuseConfig('win32', ARCH.x64)).resetAdHocDarwinSignature).toBe(false);
  });
});

describe('electronBinaryPath', () => {
  const packager = { appInfo: { productFilename: 'Custos' }, executableName: 'custos' };

  it('finds the binary on each platform', () => {
    expect(afterPack.electronBinaryPath({ appOutDir: '/out/linux-unpacked', electronPlatformName: 'linux', arch: ARCH.x64, packager })).toBe(
      join('/out/linux-unpacked', 'custos'),
    );
    expect(afterPack.electronBinaryPath({ appOutDir: '/out/win-unpacked', electronPlatformName: 'win32', arch: ARCH.x64, packager })).toBe(
      join('/out/win-unpacked', 'Custos.exe'),
    );
    expect(afterPack.electronBinaryPath({ appOutDir: '/out/mac', electronPlatformName: 'darwin', arch: ARCH.arm64, packager })).toBe(
      join('/out/mac', 'Custos.app', 'Contents', 'MacOS', 'Custos'),
    );
  });

  it('refuses a platform it does not know rather than flip nothing', () => {
    expect(() => afterPack.electronBinaryPath({ appOutDir: '/out', electronPlatformName: 'plan9', arch: ARCH.x64, packager })).toThrow(/plan9/);
  });

  it('is what electron-builder finds as the hook', () => {
    expect(afterPack.afterPack).toBe(afterPack);
    expect(typeof afterPack).toBe('function');
  });
});

describe('the hook on a binary', () => {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const dir = mkdtempSync(join(tmpdir(), 'custos-fuses-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A stand-in for the Electron binary: the fuse sentinel, wire version 1, length, and the
  // fuses as Electron ships them (all '1' here, so every flip to off shows).
  function fakeBinary(name: string, wireLength: number): string {
    const file = join(dir, name);
    const wire = Buffer.alloc(wireLength, FuseState.ENABLE);
    writeFileSync(file, Buffer.concat([Buffer.alloc(64, 0x7f), Buffer.from(SENTINEL), Buffer.from([1, wireLength]), wire, Buffer.alloc(64)]));
    return file;
  }

  function wireOf(file: string, wireLength: number): number[] {
    const bytes = readFileSync(file);
    const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
    return [...bytes.subarray(at, at + wireLength)];
  }

  const context = (executableName: string): PackContext => ({
    appOutDir: dir,
    electronPlatformName: 'linux',
    arch: ARCH.x64,
    packager: { appInfo: { productFilename: 'Custos' }, executableName },
  });

  it('flips every fuse of the current wire', async () => {
    const file = fakeBinary('custos', fuseIndices.length);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await afterPack(context('custos'));
    vi.mocked(console.log).mockRestore();
    const expected = await afterPack.fuseConfig('linux', ARCH.x64);
    expect(wireOf(file, fuseIndices.length)).toEqual(fuseIndices.map((i) => (expected[i] ? FuseState.ENABLE : FuseState.DISABLE)));
    expect(wireOf(file, fuseIndices.length)[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
  });

  it('fails the build when Electron has a fuse nobody decided on', async () => {
    const file = fakeBinary('custos-next', fuseIndices.length + 1);
    await expect(afterPack(context('custos-next'))).rejects.toThrow(/strictlyRequireAllFuses/);
    expect(wireOf(file, fuseIndices.length + 1).every((b) => b === FuseState.ENABLE)).toBe(true);
  });
});
