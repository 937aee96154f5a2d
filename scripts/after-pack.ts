// electron-builder's afterPack hook (built to dist/build/after-pack.cjs by `npm run package`): flips
// Electron's fuses in the packed binary, before signing, so a kiosk's binary cannot be turned into
// a plain Node (RunAsNode), steered by NODE_OPTIONS or --inspect, or fed an app from outside its
// checked asar. GrantFileProtocolExtraPrivileges goes too: the app is served from kiosk://, not file://.
// Cookies and the rest of the profile's secrets are encrypted at rest with the OS keyring's key.
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';

/** The packed Electron binary; only the Linux packager names its executable apart from the product. */
export function binaryPath(context: Pick<AfterPackContext, 'appOutDir' | 'electronPlatformName' | 'packager'>): string {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return `${appOutDir}/${product}.app`;
    case 'win32':
      return `${appOutDir}/${product}.exe`;
    default:
      return `${appOutDir}/${'executableName' in packager && typeof packager.executableName === 'string' ? packager.executableName : product}`;
  }
}

export default async function afterPack(context: AfterPackContext): Promise<void> {
  await flipFuses(binaryPath(context), {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
}
