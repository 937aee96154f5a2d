// Failed identifications per subject: someone guessing a person's birth date or e-mail from many
// kiosks (each within its own per-kiosk limit) is stopped after a few misses on that name. The
// counter is keyed by a keyed digest of the normalised name tried (matching.ts nameDigest), kept in
// memory only, for a fixed window. A success does not count; a miss and a wrong guess count alike.
import { RegistryError } from './errors.js';

export interface SubjectLimit {
  /** Misses allowed per subject within the window. */
  max: number;
  windowMs: number;
}

export const DEFAULT_SUBJECT_LIMIT: SubjectLimit = { max: 10, windowMs: 60 * 60_000 };

/** Above this many subjects, expired windows are swept before a new one is counted. */
const SWEEP_ABOVE = 100_000;

export class SubjectAttempts {
  private readonly windows = new Map<string, { misses: number; resetAt: number }>();

  constructor(
    private readonly limit: SubjectLimit,
    private readonly now: () => Date,
  ) {}

  /** Seconds until this subject may be tried again; 0 when it may now. */
  blockedFor(subject: string): number {
    const w = this.windows.get(subject);
    const t = this.now().getTime();
    if (!w || t >= w.resetAt || w.misses < this.limit.max) return 0;
    return Math.ceil((w.resetAt - t) / 1000);
  }

  miss(subject: string): void {
    const t = this.now().getTime();
    const w = this.windows.get(subject);
    if (w && t < w.resetAt) {
      w.misses += 1;
      return;
    }
    if (this.windows.size >= SWEEP_ABOVE) {
      for (const [k, v] of this.windows) if (t >= v.resetAt) this.windows.delete(k);
    }
    this.windows.set(subject, { misses: 1, resetAt: t + this.limit.windowMs });
  }
}

/** Too many tries: the caller sets Retry-After from `retryAfterSeconds`. */
export class SubjectRateLimited extends RegistryError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'too many tries for these details: try again later');
  }
}
