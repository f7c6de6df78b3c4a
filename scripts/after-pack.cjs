// electron-builder afterPack hook: flips Electron's fuses in the packed binary, before
// signing, so the shipped app cannot be turned into a plain Node runtime, told to load code
// from outside its asar, or opened to a debugger from the command line or environment.
// strictlyRequireAllFuses makes an Electron upgrade that adds a fuse fail the build until
// someone decides its value here.
const path = require('node:path');

// @electron/fuses 2 is ESM only.
const loadFuses = () => import('@electron/fuses');

// electron-builder's Arch enum (builder-util): ia32 0, x64 1, armv7l 2, arm64 3, universal 4.
const ARCH_ARM64 = 3;

/** The fuse wire for one platform and architecture. */
async function fuseConfig(platform, arch) {
  const { FuseVersion, FuseV1Options } = await loadFuses();
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Apple silicon refuses to run a binary whose ad-hoc signature no longer matches.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === ARCH_ARM64,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    // Electron's default: V8 uses guard pages instead of bounds checks for WebAssembly
    // (hash-wasm's Argon2 runs there); turning it off costs speed and buys nothing here.
    [FuseV1Options.WasmTrapHandlers]: true,
  };
}

/** Where the Electron binary sits inside the packed app for each platform. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`, 'Contents', 'MacOS', productFilename);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, packager.executableName);
    default:
      throw new Error(`after-pack: no Electron binary layout known for platform ${electronPlatformName}`);
  }
}

async function afterPack(context) {
  const binary = electronBinaryPath(context);
  const { flipFuses } = await loadFuses();
  await flipFuses(binary, await fuseConfig(context.electronPlatformName, context.arch));
  console.log(`  • fuses flipped  binary=${binary}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.afterPack = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;
