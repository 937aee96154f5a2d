// A bounded queue for the engine's processes: the kiosk has two cores, and a burst of taps must not
// start a synthesiser for each. Past the line's length a request is refused (BUSY), not queued
// forever: its screen stays silent, which the customer can repeat.
import { SpeechError } from './engine.js';

export interface Bounds {
  /** Jobs running at once. */
  running: number;
  /** Jobs waiting for a free slot; one more is refused. */
  waiting: number;
}

export class BoundedQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly bounds: Bounds) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running < this.bounds.running) this.#running += 1;
    else {
      if (this.#waiting.length >= this.bounds.waiting) throw new SpeechError('BUSY');
      // The slot is handed over by the job that ends (below), so #running stays counted.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
