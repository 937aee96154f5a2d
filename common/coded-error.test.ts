import { describe, expect, it } from 'vitest';
import { CodedError } from './coded-error.js';

const MESSAGES = { FIRST: 'The first thing failed.', SECOND: 'The second thing failed.' } as const;
type Code = keyof typeof MESSAGES;

class SampleError extends CodedError<Code> {
  constructor(code: Code, detail?: string) {
    super(MESSAGES, code, detail);
  }
}

// Compiles only while every code has a case: adding a code to MESSAGES breaks the build here.
function verdict(code: Code): string {
  switch (code) {
    case 'FIRST':
      return 'one';
    case 'SECOND':
      return 'two';
    default: {
      const unhandled: never = code;
      throw new Error(`unhandled code ${String(unhandled)}`);
    }
  }
}

describe('CodedError', () => {
  it('takes its message from the table and keeps the detail apart', () => {
    const e = new SampleError('SECOND', 'SW 6F00');
    expect(e).toMatchObject({ code: 'SECOND', detail: 'SW 6F00', message: 'The second thing failed. (SW 6F00)' });
    expect(new SampleError('FIRST')).toMatchObject({ code: 'FIRST', detail: undefined, message: 'The first thing failed.' });
  });

  it('lets callers switch on the code exhaustively', () => {
    expect(verdict(new SampleError('FIRST').code)).toBe('one');
    expect(() => verdict('THIRD' as Code)).toThrow('unhandled code THIRD');
  });
});
