// A tiny typed event emitter: the UI subscribes to the sync client's events by name and gets the
// payload type checked, without Node's untyped EventEmitter strings.

export class TypedEmitter<Events extends Record<string, unknown>> {
  private readonly listeners: { [K in keyof Events]?: Set<(event: Events[K]) => void> } = {};

  /** A throwing listener (a UI bug) must not break the emitter's own work; it is reported here. */
  constructor(private readonly onListenerError: (error: unknown) => void) {}

  /** Returns the unsubscribe function. */
  on<K extends keyof Events>(name: K, listener: (event: Events[K]) => void): () => void {
    const set = (this.listeners[name] ??= new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  protected emit<K extends keyof Events>(name: K, event: Events[K]): void {
    for (const listener of this.listeners[name] ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
