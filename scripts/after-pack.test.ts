// The after-pack hook against a file laid out as Electron's binary lays out its fuse wire (the
// sentinel, the wire's version and length, one byte per fuse), flipped by the real @electron/fuses:
// no Electron binary can be downloaded here, and the fuses are what a packed kiosk relies on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';
import { expect, it } from 'vitest';
import afterPack from './after-pack.js';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's shipped defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
// asar integrity off, only-asar off, browser V8 snapshot off, file:// privileges on, WASM traps on.
const SHIPPED = '101100011';

it('turns off every way into the kiosk binary, and turns cookie encryption on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'after-pack-'));
  const wire = Buffer.concat([Buffer.from([1, SHIPPED.length]), Buffer.from(SHIPPED, 'latin1')]);
  writeFileSync(join(dir, 'eid-kiosk'), Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), wire, Buffer.alloc(4096, 9)]));
  const context = {
    appOutDir: dir,
    electronPlatformName: 'linux',
    packager: { appInfo: { productFilename: 'eID Enrollment Kiosk' }, executableName: 'eid-kiosk' },
  };
  await afterPack(context as unknown as AfterPackContext);

  const fuses = await getCurrentFuseWire(join(dir, 'eid-kiosk'));
  expect(fuses[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
  expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
  expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
  expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
  expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
  expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
  expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
});
