// The kiosk's heartbeat to the registry (operations.md, "Watch"): its health every minute and
// after each sync, with its own token, so the chain's back office sees a silent kiosk or a stuck
// queue before a shop calls. A failed beat is never the customer's concern, nor an error anywhere:
// it is logged at debug level and the next minute's beat tries again.
import { logger } from '../log.js';
import { HeartbeatResponse, type Heartbeat } from '../wire/registry-api.js';
import type { RegistryHttp } from './registry-http.js';

const log = logger('heartbeat');

export const HEARTBEAT_INTERVAL_MS = 60_000;
/** A beat is small; one that takes longer than this is better sent again next minute. */
export const HEARTBEAT_TIMEOUT_MS = 10_000;

export interface HeartbeatOptions {
  /** The kiosk's registry client (its token, the registry's CA). */
  http: Pick<RegistryHttp, 'call'>;
  /** What to report now; called for each beat. */
  collect: () => Heartbeat;
  /** Each sync's outcome (the sync client's 'batch' event): a beat follows it. */
  syncs?: { on(name: 'batch', listener: () => void): () => void };
  intervalMs?: number;
}

export class HeartbeatSender {
  readonly #options: HeartbeatOptions;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  /** A beat was asked for while one was in flight: one more follows it, with the newer state. */
  #again = false;
  #stopped = false;
  #unsubscribe: (() => void) | undefined;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
  }

  /** Beats now, then every interval and after each sync. */
  start(): void {
    this.#unsubscribe = this.#options.syncs?.on('batch', () => this.beat());
    this.beat();
  }

  /** Sends a beat soon: at once, or right after the one in flight. */
  beat(): void {
    if (this.#stopped) return;
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#inFlight = this.#send().finally(() => {
      this.#inFlight = undefined;
      if (this.#again) {
        this.#again = false;
        this.beat();
      } else if (!this.#stopped) {
        this.#timer = setTimeout(() => this.beat(), this.#options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
        // The heartbeat alone never keeps a process alive.
        this.#timer.unref();
      }
    });
  }

  /** Stops the timer and waits for the beat in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    clearTimeout(this.#timer);
    await this.#inFlight;
  }

  async #send(): Promise<void> {
    try {
      const { status, text } = await this.#options.http.call('POST', 'v1/heartbeat', this.#options.collect());
      if (status < 200 || status >= 300 || !HeartbeatResponse.safeParse(JSON.parse(text)).success) {
        log.debug({ status }, 'heartbeat refused; the next one is due in a minute');
      }
    } catch (e) {
      log.debug({ err: (e as { code?: unknown }).code ?? 'unknown' }, 'heartbeat not sent; the next one is due in a minute');
    }
  }
}
