import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uuidv7 } from './uuid7.js';

describe('uuidv7', () => {
  it('is a version-7 UUID the wire schema accepts, ordered by its time', () => {
    const early = uuidv7(
      () => 1_700_000_000_000,
      () => 'ffffffff-ffff-4fff-bfff-ffffffffffff',
    );
    const late = uuidv7(
      () => 1_700_000_000_001,
      () => '00000000-0000-4000-8000-000000000000',
    );
    expect(early).toBe('018bcfe5-6800-7fff-bfff-ffffffffffff');
    expect(late).toBe('018bcfe5-6801-7000-8000-000000000000');
    expect(early < late).toBe(true);
    expect(z.uuid().safeParse(early).success).toBe(true);
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(uuidv7()).success).toBe(true);
  });
});
