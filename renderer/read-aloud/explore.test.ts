import { describe, expect, it } from 'vitest';
import { ACTIVATE_WITHIN_MS, createTapRule } from './explore';

describe('explore by touch: the tap rule', () => {
  it('says on the first tap, does on a second tap on the same thing within two seconds', () => {
    let now = 0;
    const rule = createTapRule<string>(() => now);
    expect(rule.tap('yes')).toBe('speak');
    now += ACTIVATE_WITHIN_MS;
    expect(rule.tap('yes')).toBe('activate');
    // After an activation the next tap says again.
    expect(rule.tap('yes')).toBe('speak');
  });

  it('a late second tap, or a tap on something else, says again', () => {
    let now = 0;
    const rule = createTapRule<string>(() => now);
    rule.tap('yes');
    now += ACTIVATE_WITHIN_MS + 1;
    expect(rule.tap('yes')).toBe('speak');
    expect(rule.tap('no')).toBe('speak');
    expect(rule.tap('yes')).toBe('speak');
    expect(rule.tap('yes')).toBe('activate');
  });

  it('reset forgets the armed tap', () => {
    const rule = createTapRule<string>(() => 0);
    rule.tap('yes');
    rule.reset();
    expect(rule.tap('yes')).toBe('speak');
  });
});
