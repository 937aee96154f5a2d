// The WAV container as the host hands it on: espeak-ng writes to a pipe, so it cannot seek back
// and leaves its RIFF and data sizes at 0x7fffffff; a strict decoder would read past the end.
// `finishWav` writes the real sizes; `readWav` is the header as a player reads it.
import { SpeechError } from './engine.js';

export interface WavInfo {
  /** 1 = PCM. */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataOffset: number;
  dataBytes: number;
}

const ascii = (b: Uint8Array, at: number): string => String.fromCharCode(...b.subarray(at, at + 4));

/** The header's fields; BAD_AUDIO when it is not a RIFF WAVE with a fmt and a data chunk. */
export function readWav(bytes: Uint8Array): WavInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 44 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') throw new SpeechError('BAD_AUDIO', 'not RIFF WAVE');
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes'> | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      fmt = {
        format: view.getUint16(at + 8, true),
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        bitsPerSample: view.getUint16(at + 22, true),
      };
    } else if (id === 'data') {
      if (!fmt) break;
      return { ...fmt, dataOffset: at + 8, dataBytes: Math.min(size, bytes.length - at - 8) };
    }
    at += 8 + size + (size % 2);
  }
  throw new SpeechError('BAD_AUDIO', 'no fmt and data chunks');
}

/** The same bytes with the RIFF and data sizes of what was actually written. */
export function finishWav(bytes: Uint8Array): Uint8Array {
  const info = readWav(bytes);
  // A copy, never a view: Buffer's slice shares (pooled) memory, and a view would write into the caller's bytes.
  const out = Uint8Array.prototype.slice.call(bytes, 0, info.dataOffset + info.dataBytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(4, out.length - 8, true);
  view.setUint32(info.dataOffset - 4, info.dataBytes, true);
  return out;
}
