// The kiosk's configuration file (JSON, validated): which chain, store and kiosk this is, the store's
// default language, the idle time-outs, the chain's data policy, where the registry is. Shared by the
// Electron shell and `npm run kiosk`; command-line options override it.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_POLICY } from '../sync/store/policy.js';
import { Language } from '../sync/wire/schemas.js';
import type { HostConfig } from './host.js';

export const KioskConfigFile = z.strictObject({
  chainId: z.string().min(1).default('demo-retail'),
  chainName: z.string().min(1).default('Demo Retail NV'),
  storeId: z.string().min(1).default('store-001'),
  kioskId: z.string().min(1).default('kiosk-01'),
  defaultLanguage: Language.default('nl'),
  idleSeconds: z.number().int().min(10).max(3600).default(60),
  /** WCAG 2.2.1: at least 20 s to react. */
  countdownSeconds: z.number().int().min(20).max(600).default(20),
  keep: z
    .strictObject({ address: z.boolean(), birthDate: z.boolean(), sex: z.boolean(), email: z.boolean(), mobile: z.boolean() })
    .default(DEFAULT_POLICY.keep),
  reader: z.string().min(1).optional(),
  registryUrl: z.url().optional(),
  tokenFile: z.string().min(1).optional(),
  /** PEM of the registry's CA, when it is not in the system store. */
  registryCaFile: z.string().min(1).optional(),
  /** The chain's own update server (electron-updater, generic provider). */
  updateUrl: z.url().optional(),
  dbPath: z.string().min(1).optional(),
  pinFile: z.string().min(1).optional(),
});
export type KioskConfigFile = z.infer<typeof KioskConfigFile>;

/** The folder for the kiosk's files when the configuration names none. */
export const defaultDataDir = (): string => join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'eid-kiosk');

export function readConfigFile(path: string | undefined): KioskConfigFile {
  if (!path) return KioskConfigFile.parse({});
  return KioskConfigFile.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function hostConfig(file: KioskConfigFile): HostConfig {
  return {
    chainId: file.chainId,
    chainName: file.chainName,
    storeId: file.storeId,
    kioskId: file.kioskId,
    defaultLanguage: file.defaultLanguage,
    idleSeconds: file.idleSeconds,
    countdownSeconds: file.countdownSeconds,
    policy: { keep: file.keep },
    ...(file.reader ? { reader: file.reader } : {}),
  };
}
