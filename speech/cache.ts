// The audio of what was said lately, in memory only (nothing is written to disk), so a screen's
// title or a button spoken again answers at once. Least recently used goes first past either bound.
// Never holds a personal request: the speaker does not ask it (speaker.ts).
export interface CacheBounds {
  entries: number;
  bytes: number;
}

export class AudioCache {
  // A Map iterates in insertion order: re-inserting on a hit makes its first key the least recently used.
  readonly #entries = new Map<string, Uint8Array>();
  #bytes = 0;

  constructor(private readonly bounds: CacheBounds = { entries: 500, bytes: 32 * 1024 * 1024 }) {}

  get(key: string): Uint8Array | undefined {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, audio: Uint8Array): void {
    if (audio.length > this.bounds.bytes) return;
    this.#drop(key);
    this.#entries.set(key, audio);
    this.#bytes += audio.length;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.bounds.entries && this.#bytes <= this.bounds.bytes) break;
      this.#drop(oldest);
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  #drop(key: string): void {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    this.#bytes -= old.length;
  }
}
