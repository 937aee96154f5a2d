// The WAV header as espeak-ng writes it to a pipe (sizes 0x7fffffff), finished with the real sizes.
import { expect, it } from 'vitest';
import { finishWav, readWav } from './wav.js';

const header = (riff: number, data: number): Buffer => {
  const b = Buffer.alloc(44);
  b.write('RIFF', 0);
  b.writeUInt32LE(riff, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(22050, 24);
  b.writeUInt32LE(44100, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  return b;
};

it('reads the format and writes the sizes of what was written', () => {
  const piped = Buffer.concat([header(0x7ffff024, 0x7ffff000), Buffer.from([1, 0, 2, 0, 3, 0])]);
  expect(readWav(piped)).toEqual({ format: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16, dataOffset: 44, dataBytes: 6 });
  expect(Buffer.from(finishWav(piped)).equals(Buffer.concat([header(42, 6), Buffer.from([1, 0, 2, 0, 3, 0])]))).toBe(true);
});

it('refuses what is not a RIFF WAVE with fmt and data', () => {
  const code = (b: Uint8Array) => {
    try {
      readWav(b);
      return 'read';
    } catch (e) {
      return (e as { code: string }).code;
    }
  };
  expect(code(Buffer.from('hello'))).toBe('BAD_AUDIO');
  const noData = header(36, 0);
  noData.write('junk', 36);
  noData.writeUInt32LE(0, 40);
  expect(code(noData)).toBe('BAD_AUDIO');
});
