// The voice's audio through the page (Web Audio), the same in Electron and in the browser kiosk:
// the host's WAV decoded in the page, played through one gain node (the customer's volume). One
// sound at a time; pause suspends the whole context, so a pause resumes mid-word.
export interface AudioOut {
  decode(wav: ArrayBuffer): Promise<AudioBuffer>;
  /** Resolves when the sound ended or was stopped. */
  play(buffer: AudioBuffer): Promise<void>;
  stop(): void;
  setVolume(gain: number): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export function base64ToArrayBuffer(base64: string): ArrayBuffer {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return bytes.buffer;
}

export function webAudio(): AudioOut {
  let context: AudioContext | undefined;
  let gain: GainNode | undefined;
  let volume = 1;
  let current: { source: AudioBufferSourceNode; done: () => void } | undefined;

  // Made at first use: a page may not start audio before the customer touched it.
  function output(): { context: AudioContext; gain: GainNode } {
    context ??= new AudioContext();
    if (gain === undefined) {
      gain = context.createGain();
      gain.gain.value = volume;
      gain.connect(context.destination);
    }
    return { context, gain };
  }

  const out: AudioOut = {
    decode: (wav) => output().context.decodeAudioData(wav),
    play(buffer) {
      out.stop();
      const { context, gain } = output();
      if (context.state === 'suspended') void context.resume();
      return new Promise((resolve) => {
        const source = context.createBufferSource();
        source.buffer = buffer;
        source.connect(gain);
        const done = () => {
          if (current?.source === source) current = undefined;
          resolve();
        };
        source.onended = done;
        current = { source, done };
        source.start();
      });
    },
    stop() {
      const playing = current;
      current = undefined;
      if (playing === undefined) return;
      playing.source.onended = null;
      try {
        playing.source.stop();
      } catch {
        // Already ended.
      }
      playing.done();
    },
    setVolume(next) {
      volume = next;
      if (gain !== undefined) gain.gain.value = next;
    },
    pause: async () => void (await context?.suspend()),
    resume: async () => void (await context?.resume()),
  };
  return out;
}
