// Provisioning a kiosk by the back office's one-time code (operations.md, "Provision"), and the
// set-up mode a kiosk without a configuration runs in. `provisionDataDir` is the one exchange, for
// `npm run kiosk -- provision` and for the set-up screen alike: the code goes to the registry
// (sync/client/registry-http.ts: https, plain http to loopback only), and the data folder gets the
// token sealed under the store's key, the store with the kiosk's signing key (its public half
// registered with the registry at once), the manager PIN, and kiosk.json last (its presence is what
// "provisioned" means). `SetupMode` is the endpoint the loopback transport serves meanwhile: only
// setup.* calls, everything else NOT_PROVISIONED; once provisioned it hands every call and event to
// the provisioned kiosk's host, on the same connection. Read aloud is served in set-up mode too.
// `kioskOrSetup` decides between the two, for `npm run kiosk -- serve` and the Electron shell
// (host/shell.ts) alike.
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryHttp } from '../sync/client/registry-http.js';
import { isSyncError } from '../sync/client/errors.js';
import { TypedEmitter } from '../sync/client/typed-emitter.js';
import { logger } from '../sync/log.js';
import { createFieldCipher } from '../sync/store/cipher.js';
import { openStore } from '../sync/store/open.js';
import { ProvisionResponse, type ProvisionedSettings } from '../sync/wire/provision.js';
import { events, type EventName, type EventPayload, type Result } from '../api/contract.js';
import { HostError, toApiError } from './errors.js';
import { fail, parseCall } from './host.js';
import type { HostEndpoint } from './loopback/server.js';
import { PinFormat, PinStore } from './pin.js';
import type { Handlers } from './session.js';
import { speechHandlers } from './speech.js';
import type { Speaker } from '../speech/speaker.js';
import { SEALED_TOKEN_AAD, SEALED_TOKEN_FILE, SettingsError, STORE_FILE } from './settings.js';
import { registerKioskKey } from './kiosk-key.js';

const PROVISION_TIMEOUT_MS = 15_000;
const log = logger('kiosk-setup');

export interface ProvisionInput {
  registryUrl: string;
  code: string;
  /** PEM of the registry's CA, when it is not in the system store; kept in the data folder. */
  caFile?: string;
  /** The manager PIN to set; checked before the code is spent. */
  pin: string;
  dataDir: string;
  /** The store's key (KIOSK_DB_KEY or `<db>.key` under Node, safeStorage in Electron): it seals the token.
   *  Asked for once the code was accepted and the folder exists, so a refused code leaves nothing behind. */
  storeKey: () => Uint8Array;
  now: () => Date;
}

/** Exchanges the code and writes the provisioned data folder; what the registry said of the kiosk. */
export async function provisionDataDir(input: ProvisionInput): Promise<ProvisionedSettings> {
  // A PIN that cannot be set must not cost the code: the code works once.
  if (!PinFormat.safeParse(input.pin).success) throw new HostError('INVALID_REQUEST', { fields: { pin: 'PIN_FORMAT' } });
  if (input.code.trim() === '') throw new HostError('INVALID_REQUEST', { fields: { code: 'CODE_INVALID' } });
  const ca = input.caFile;
  let http: RegistryHttp;
  try {
    http = new RegistryHttp({
      registryUrl: input.registryUrl.trim(),
      timeoutMs: PROVISION_TIMEOUT_MS,
      ...(ca ? { ca: readFileSync(ca) } : {}),
    });
  } catch (e) {
    if (isSyncError(e) && e.code === 'INSECURE_URL') throw new HostError('INVALID_REQUEST', { fields: { registryUrl: 'URL_INVALID' } });
    throw e;
  }
  let answer;
  try {
    answer = await http.call('POST', 'v1/provision', { code: input.code.trim() });
  } catch (e) {
    log.warn({ err: isSyncError(e) ? e.code : 'unknown' }, 'provisioning: the registry could not be reached');
    throw new HostError('REGISTRY_UNREACHABLE');
  } finally {
    await http.close();
  }
  if (answer.status === 404 && answer.text.includes('UNKNOWN_ENROLL_CODE')) throw new HostError('SETUP_CODE_REFUSED');
  if (answer.status === 429) throw new HostError('RATE_LIMITED');
  const parsed = answer.status === 200 ? ProvisionResponse.safeParse(jsonOrUndefined(answer.text)) : undefined;
  if (!parsed?.success) {
    log.warn({ status: answer.status }, 'provisioning: the registry did not answer as one that provisions');
    throw new HostError('REGISTRY_UNREACHABLE');
  }
  const { token, settings } = parsed.data;
  const dir = input.dataDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const storeKey = input.storeKey();
  writeFileSync(join(dir, SEALED_TOKEN_FILE), createFieldCipher(storeKey).seal(token, SEALED_TOKEN_AAD), { mode: 0o600 });
  // The store (and with it the kiosk's signing key) is made now, and its public key registered, so
  // the first customer's receipt verifies at once; a failure is retried at start and before each sync.
  const store = openStore({ path: join(dir, STORE_FILE), key: storeKey, kioskId: settings.kioskId });
  try {
    await registerKioskKey(store, { registryUrl: input.registryUrl.trim(), token, ...(ca ? { ca: readFileSync(ca) } : {}) });
  } finally {
    store.close();
  }
  const caCopy = join(dir, 'registry-ca.pem');
  if (ca) copyFileSync(ca, caCopy);
  new PinStore({ path: join(dir, 'manager-pin.json'), now: input.now }).set(input.pin);
  const config = {
    chainId: settings.chainId,
    chainName: settings.chainName,
    storeId: settings.storeId,
    kioskId: settings.kioskId,
    ...(settings.keep ? { keep: settings.keep } : {}),
    registryUrl: input.registryUrl.trim(),
    ...(ca ? { registryCaFile: caCopy } : {}),
    ...(settings.updateUrl !== undefined ? { updateUrl: settings.updateUrl } : {}),
    ...(settings.updatePublicKey !== undefined ? { updatePublicKey: settings.updatePublicKey } : {}),
  };
  // Written whole or not at all: a half-written kiosk.json would be a kiosk that neither runs nor sets up.
  const file = join(dir, 'kiosk.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  log.info({ kioskId: settings.kioskId, chainId: settings.chainId }, 'provisioned');
  return settings;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Events = { [N in EventName]: EventPayload<N> };
type SpeechInput = Parameters<Handlers<'speech.say'>['speech.say']>[0];

export interface SetupModeDeps {
  /** Provisions the data folder from the screen's input (provisionDataDir with the folder and key). */
  provision(input: { registryUrl: string; code: string; pin: string }): Promise<unknown>;
  /** Starts the provisioned kiosk's host, which answers from then on. */
  start(): Promise<HostEndpoint>;
  /** Read aloud on the set-up screen; absent: SPEECH_UNAVAILABLE. */
  speaker?: Speaker;
}

export class SetupMode extends TypedEmitter<Events> implements HostEndpoint {
  #kiosk: HostEndpoint | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #speech: Handlers<'speech.say'>;

  constructor(private readonly deps: SetupModeDeps) {
    super((error) => log.error({ err: error instanceof Error ? error.name : 'unknown' }, 'event listener failed'));
    this.#speech = speechHandlers(deps.speaker);
  }

  /**
   * One call at a time, as the host runs them: a double tap cannot spend the code twice. Once
   * provisioned, the kiosk's host orders its own calls (and lets speech run beside them); speech
   * never waits behind a provisioning either.
   */
  call(name: string, input: unknown): Promise<Result<unknown>> {
    if (this.#kiosk) return this.#kiosk.call(name, input);
    if (name.startsWith('speech.')) return this.#dispatch(name, input);
    const run = this.#queue.then(() => (this.#kiosk ? this.#kiosk.call(name, input) : this.#dispatch(name, input)));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #dispatch(name: string, input: unknown): Promise<Result<unknown>> {
    const parsed = parseCall(name, input);
    if ('code' in parsed) return fail(parsed);
    if (parsed.call === 'setup.status') return { ok: true, value: { provisioned: false } };
    if (parsed.call !== 'setup.provision' && parsed.call !== 'speech.say') return fail({ code: 'NOT_PROVISIONED' });
    try {
      if (parsed.call === 'speech.say') return { ok: true, value: await this.#speech['speech.say'](parsed.input as SpeechInput) };
      await this.deps.provision(parsed.input as { registryUrl: string; code: string; pin: string });
      const kiosk = await this.deps.start();
      for (const event of Object.keys(events) as EventName[]) kiosk.on(event, (payload) => this.emit(event, payload));
      this.#kiosk = kiosk;
      this.emit('setup', { state: 'provisioned' });
      return { ok: true, value: {} };
    } catch (e) {
      const error = toApiError(e);
      if (error.code === 'INTERNAL') log.error({ err: e instanceof Error ? e.name : 'unknown' }, 'set-up failed');
      return fail(error);
    }
  }
}

/**
 * The provisioned kiosk (`start` resolves its settings), or, when there is no configuration at all,
 * the set-up mode that provisions it and then calls the same `start`. Any other settings error (an
 * unreadable or invalid kiosk.json) is thrown: a kiosk with a broken configuration is not re-provisioned.
 */
export async function kioskOrSetup(deps: SetupModeDeps): Promise<{ endpoint: HostEndpoint; mode: 'kiosk' | 'setup' }> {
  try {
    return { endpoint: await deps.start(), mode: 'kiosk' };
  } catch (e) {
    if (!(e instanceof SettingsError && e.code === 'NO_CONFIGURATION')) throw e;
    return { endpoint: new SetupMode(deps), mode: 'setup' };
  }
}
