import { describe, expect, it } from 'vitest';
import { brusselsDay, checkCardValidity, isoDate } from './validity.js';

describe('checkCardValidity', () => {
  it('is valid from the first to the last day, both included', () => {
    expect(checkCardValidity('2022-03-14', '2032-03-14', new Date('2022-03-14T08:00:00Z'))).toEqual({
      ok: true,
      code: 'CARD_VALID',
      reason: 'The card is valid until 2032-03-14.',
    });
    expect(checkCardValidity('2022-03-14', '2032-03-14', new Date('2032-03-14T20:00:00Z')).ok).toBe(true);
  });

  it('judges by the calendar day in Brussels, not in UTC', () => {
    // 23:30 UTC on 14 March is already 15 March in Brussels (UTC+1).
    expect(checkCardValidity('2022-03-14', '2032-03-14', new Date('2032-03-14T23:30:00Z'))).toEqual({
      ok: false,
      code: 'CARD_EXPIRED',
      reason: 'The card expired on 2032-03-14.',
    });
    expect(brusselsDay(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02'); // summer time, UTC+2
  });

  it('says when a card is not valid yet', () => {
    expect(checkCardValidity('2027-01-10', '2037-01-10', new Date('2026-11-22T10:00:00Z'))).toEqual({
      ok: false,
      code: 'CARD_NOT_YET_VALID',
      reason: 'The card is not valid before 2027-01-10.',
    });
  });

  it('fails when a date is missing or not a real date', () => {
    const unreadable = { ok: false, code: 'DATES_UNREADABLE', reason: 'The validity dates of the card could not be read.' };
    const now = new Date('2026-11-22T10:00:00Z');
    expect(checkCardValidity(undefined, '2030-01-01', now)).toEqual(unreadable);
    expect(checkCardValidity('2020-01-01', '2030-02-30', now)).toEqual(unreadable);
    expect(checkCardValidity('01.01.2020', '2030-01-01', now)).toEqual(unreadable);
  });
});

describe('isoDate', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(isoDate('2024-02-29')).toBe('2024-02-29');
    expect(isoDate('2023-02-29')).toBeUndefined();
    expect(isoDate('2023-2-1')).toBeUndefined();
    expect(isoDate('')).toBeUndefined();
  });
});
