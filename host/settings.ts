// The kiosk's settings, resolved in one place for the Electron shell and `npm run kiosk`: the
// configuration file (JSON), then the command line's options, merged and checked by one schema.
// Provisioning (host/setup.ts) writes the data folder's kiosk.json and the registry token beside it,
// sealed under the store's key (SEALED_TOKEN_FILE): a provisioned kiosk needs no other source.
// The demo's identity, folder and PIN live only in its branch here: a kiosk without a
// configuration is not a demo, it is refused.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../common/cli.js';
import { CodedError } from '../common/coded-error.js';
import { createFieldCipher } from '../sync/store/cipher.js';
import { DEFAULT_POLICY } from '../sync/store/policy.js';
import { Language } from '../sync/wire/schemas.js';
import { describeIssues } from '../sync/zod-issues.js';
import type { HostConfig } from './host.js';

/** Every setting, whatever gave it: the configuration file's format, and the check of the merge. */
export const KioskSettingsInput = z.strictObject({
  chainId: z.string().min(1),
  chainName: z.string().min(1),
  storeId: z.string().min(1),
  kioskId: z.string().min(1),
  defaultLanguage: Language.default('nl'),
  idleSeconds: z.number().int().min(10).max(3600).default(60),
  /** WCAG 2.2.1: at least 20 s to react. */
  countdownSeconds: z.number().int().min(20).max(600).default(20),
  keep: z
    .strictObject({ address: z.boolean(), birthDate: z.boolean(), sex: z.boolean(), email: z.boolean(), mobile: z.boolean() })
    .default(DEFAULT_POLICY.keep),
  /** The staff check asks a staff member's code (`code`), or the chain switched codes off. */
  staffCheck: z.enum(['code', 'off']).default('code'),
  reader: z.string().min(1).optional(),
  registryUrl: z.url().optional(),
  tokenFile: z.string().min(1).optional(),
  /** PEM of the registry's CA, when it is not in the system store. */
  registryCaFile: z.string().min(1).optional(),
  /**
   * The registry's verification page as customers' phones reach it, which the receipt's QR names;
   * only where that differs from `registryUrl`'s `/verify` (a kiosk reaching the registry over a
   * private network). https only: a phone opens it on the open internet.
   */
  receiptVerifyUrl: z.url({ protocol: /^https$/, error: 'must be an https URL (customers open it on their phones)' }).optional(),
  /** The chain's own update server (electron-updater, generic provider); https only, as its signed metadata is. */
  updateUrl: z.url({ protocol: /^https$/, error: 'must be an https URL (updates never come over plain http)' }).optional(),
  /** The chain's Ed25519 update key, base64url of the raw 32 bytes: without it the kiosk never checks for updates. */
  updatePublicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be the base64url of a raw 32-byte Ed25519 public key')
    .optional(),
  dbPath: z.string().min(1).optional(),
  pinFile: z.string().min(1).optional(),
});
type SettingsInput = z.input<typeof KioskSettingsInput>;

/** The command-line options that are settings (`npm run kiosk -- serve`), each with the setting it gives. */
export const SETTING_OPTIONS = {
  db: 'dbPath',
  registry: 'registryUrl',
  'token-file': 'tokenFile',
  reader: 'reader',
  'idle-seconds': 'idleSeconds',
  'countdown-seconds': 'countdownSeconds',
  'pin-file': 'pinFile',
} as const satisfies Record<string, keyof SettingsInput>;
type SettingOption = keyof typeof SETTING_OPTIONS;

/** Options come as text; these settings are numbers, and the schema checks the number. */
const NUMBER_SETTINGS: ReadonlySet<keyof SettingsInput> = new Set(['idleSeconds', 'countdownSeconds']);

const DEMO_IDENTITY = { chainId: 'demo-retail', chainName: 'Demo Retail NV', storeId: 'store-001', kioskId: 'kiosk-01' } as const;
const DEMO_PIN = '1234';
const DEMO_STAFF_MEMBER = 'Demo assistant';

export interface SettingsSources {
  /** The configuration file; without one, `kiosk.json` in the data folder (never for the demo). */
  readonly configFile?: string | undefined;
  /** Options as the command line gave them (text); those named in SETTING_OPTIONS win over the file. */
  readonly options?: Readonly<Partial<Record<SettingOption, string | undefined>>>;
  /** The persistent folder: the store and the PIN file when the settings name none. */
  readonly dataDir: string;
  /** `--demo`: its temporary folder, which holds the store and the PIN file instead. */
  readonly demoDir?: string | undefined;
}

export interface RegistrySettings {
  readonly url: string;
  readonly tokenFile: string;
  /** The token file is sealed under the store's key (provisioning wrote it), not plain text. */
  readonly sealed?: true;
  readonly caFile?: string;
}

/** The provisioned registry token in the data folder, sealed under the store's key (never plain text). */
/** The store in the data folder, unless the configuration names another. */
export const STORE_FILE = 'kiosk.db';
export const SEALED_TOKEN_FILE = 'registry-token.sealed';
/** Binds the sealed token to its file: sealed bytes moved elsewhere do not open. */
export const SEALED_TOKEN_AAD = `eid-kiosk/${SEALED_TOKEN_FILE}`;

export interface KioskSettings {
  readonly host: HostConfig;
  readonly dbPath: string;
  readonly pinFile: string;
  /** The registry this kiosk syncs with; absent, the kiosk queues and never sends (or the demo runs its own). */
  readonly registry?: RegistrySettings;
  /** The receipt QR's verification page, where phones reach it at another address than the kiosk's registry. */
  readonly receiptVerifyUrl?: string;
  readonly updateUrl?: string;
  readonly updatePublicKey?: string;
  /** Only with `--demo`. */
  readonly demo?: {
    readonly dir: string;
    /** The manager PIN to set in the demo's PIN file; absent when `--pin-file` names one. */
    readonly pin?: string;
    /** The staff member the demo adds (its code is made then), beside that PIN; absent with it. */
    readonly staffMember?: string;
    /** No registry is configured: the demo starts its own, with this kiosk provisioned. */
    readonly ownRegistry: boolean;
  };
}

const SETTINGS_ERRORS = {
  NO_CONFIGURATION: 'No kiosk configuration (--config FILE, or kiosk.json in the data folder): a kiosk without one enrolls nobody.',
  CONFIG_UNREADABLE: 'The kiosk configuration cannot be read.',
  CONFIG_INVALID: 'The kiosk configuration is not valid.',
} as const;

export class SettingsError extends CodedError<keyof typeof SETTINGS_ERRORS> {
  override readonly name = 'SettingsError';
  /** `detail` names the file and what is wrong with it, never a value from it. */
  constructor(code: keyof typeof SETTINGS_ERRORS, detail: string) {
    super(SETTINGS_ERRORS, code, detail);
  }
}

/** The folder for the kiosk's files under `npm run kiosk` when the configuration names none. */
export const defaultDataDir = (env: Readonly<Record<string, string | undefined>>): string =>
  join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'eid-kiosk');

/**
 * The settings from their sources, later ones winning: (the demo's identity,) the file, (the demo's
 * folder,) the command line. A command-line option the schema refuses is a UsageError naming it;
 * anything else wrong is a SettingsError.
 */
export function resolveSettings(sources: SettingsSources): KioskSettings {
  const { dataDir, demoDir } = sources;
  const fallback = join(dataDir, 'kiosk.json');
  const configFile = sources.configFile ?? (demoDir === undefined && existsSync(fallback) ? fallback : undefined);
  if (configFile === undefined && demoDir === undefined) throw new SettingsError('NO_CONFIGURATION', `looked for ${fallback}`);
  const fromOptions = optionSettings(sources.options ?? {});
  const merged = {
    ...(demoDir !== undefined ? DEMO_IDENTITY : {}),
    ...(configFile !== undefined ? readConfigFile(configFile) : {}),
    ...(demoDir !== undefined ? { dbPath: join(demoDir, STORE_FILE), pinFile: join(demoDir, 'manager-pin.json') } : {}),
    ...fromOptions,
  };
  const parsed = KioskSettingsInput.safeParse(merged);
  if (!parsed.success) throw invalid(parsed.error.issues, fromOptions, configFile);
  const s = parsed.data;
  const sealedToken = join(dataDir, SEALED_TOKEN_FILE);
  const token =
    s.tokenFile !== undefined
      ? { tokenFile: s.tokenFile }
      : demoDir === undefined && existsSync(sealedToken)
        ? { tokenFile: sealedToken, sealed: true as const }
        : undefined;
  const registry =
    s.registryUrl !== undefined && token !== undefined
      ? { url: s.registryUrl, ...token, ...(s.registryCaFile !== undefined ? { caFile: s.registryCaFile } : {}) }
      : undefined;
  return {
    host: {
      chainId: s.chainId,
      chainName: s.chainName,
      storeId: s.storeId,
      kioskId: s.kioskId,
      defaultLanguage: s.defaultLanguage,
      idleSeconds: s.idleSeconds,
      countdownSeconds: s.countdownSeconds,
      policy: { keep: s.keep, staffCheck: s.staffCheck },
      ...(s.reader !== undefined ? { reader: s.reader } : {}),
    },
    dbPath: s.dbPath ?? join(dataDir, STORE_FILE),
    pinFile: s.pinFile ?? join(dataDir, 'manager-pin.json'),
    ...(registry ? { registry } : {}),
    ...(s.receiptVerifyUrl !== undefined ? { receiptVerifyUrl: s.receiptVerifyUrl } : {}),
    ...(s.updateUrl !== undefined ? { updateUrl: s.updateUrl } : {}),
    ...(s.updatePublicKey !== undefined ? { updatePublicKey: s.updatePublicKey } : {}),
    ...(demoDir !== undefined
      ? {
          demo: {
            dir: demoDir,
            ...(fromOptions.pinFile === undefined ? { pin: DEMO_PIN, staffMember: DEMO_STAFF_MEMBER } : {}),
            ownRegistry: registry === undefined,
          },
        }
      : {}),
  };
}

/** The registry's address with the token and CA read from their files; a sealed token opens with the store's key. */
export function registryCredentials(registry: RegistrySettings, storeKey?: Uint8Array): { url: string; token: string; ca?: string } {
  let token: string;
  if (registry.sealed) {
    if (storeKey === undefined) throw new SettingsError('CONFIG_UNREADABLE', `${registry.tokenFile}: sealed, and no store key given`);
    token = createFieldCipher(storeKey).open(readFileSync(registry.tokenFile), SEALED_TOKEN_AAD);
  } else token = readFileSync(registry.tokenFile, 'utf8').trim();
  return {
    url: registry.url,
    token,
    ...(registry.caFile !== undefined ? { ca: readFileSync(registry.caFile, 'utf8') } : {}),
  };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SettingsError('CONFIG_UNREADABLE', `${path}: ${(e as { code?: string }).code ?? 'unreadable'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the file's text.
    throw new SettingsError('CONFIG_UNREADABLE', `${path}: not valid JSON`);
  }
  // Merged key by key with the other sources; the schema then checks the whole.
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new SettingsError('CONFIG_INVALID', `${path}: not a JSON object`);
  return json as Record<string, unknown>;
}

/** The given options as settings, numbers where the setting is one (the schema then checks it). */
function optionSettings(
  options: Readonly<Partial<Record<SettingOption, string | undefined>>>,
): Partial<Record<keyof SettingsInput, unknown>> {
  const settings: Partial<Record<keyof SettingsInput, unknown>> = {};
  for (const [option, key] of Object.entries(SETTING_OPTIONS) as [SettingOption, keyof SettingsInput][]) {
    const text = options[option];
    if (text !== undefined) settings[key] = NUMBER_SETTINGS.has(key) ? Number(text) : text;
  }
  return settings;
}

/** Refused options are the caller's usage error, by option name; the rest is the file's. */
function invalid(issues: readonly z.core.$ZodIssue[], fromOptions: object, configFile: string | undefined): Error {
  const optionOf = (key: PropertyKey) => Object.entries(SETTING_OPTIONS).find(([, setting]) => setting === key && key in fromOptions)?.[0];
  const byOption = issues.flatMap((i) => {
    const option = optionOf(i.path[0] ?? '');
    return option === undefined ? [] : [{ ...i, path: [`--${option}`, ...i.path.slice(1)] }];
  });
  if (byOption.length > 0) return new UsageError(describeIssues(byOption));
  return new SettingsError('CONFIG_INVALID', `${configFile ?? 'the demo'}: ${describeIssues(issues)}`);
}
