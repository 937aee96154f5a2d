import { describe, expect, it } from 'vitest';
import { birthDatesAgree, finerBirthDate, matchKey, normaliseName, pickProfile } from './matching.js';

describe('normaliseName', () => {
  it.each([
    ['Émile', 'emile'],
    ['Dupont-Lefèvre', 'dupont lefevre'],
    ['  DUPONT   LEFEVRE ', 'dupont lefevre'],
    ["D'Hondt", 'd hondt'],
    ['D’Hondt', 'd hondt'],
    ['Müller–Straße', 'muller strasse'],
    ['Çelik Ñúñez', 'celik nunez'],
    ['Van\tden  Bossche', 'van den bossche'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('gives one key to the same person written differently', () => {
    expect(matchKey('Dupont-Lefèvre', 'Émile')).toBe(matchKey('DUPONT LEFEVRE', 'EMILE'));
    expect(matchKey('Dupont', 'Émile Jean')).not.toBe(matchKey('Dupont Émile', 'Jean'));
  });
});

describe('birth dates', () => {
  it.each([
    ['1980-05-02', '1980-05-02', true],
    ['1980-05-02', '1980-05-03', false],
    ['1980', '1980-05-02', true],
    ['1980-05', '1980-06-01', false],
    ['1981', '1980-05-02', false],
    [undefined, '1980-05-02', true],
    [null, undefined, true],
  ])('%s vs %s agree: %s', (a, b, expected) => {
    expect(birthDatesAgree(a, b)).toBe(expected);
  });

  it('keeps the finer of two', () => {
    expect(finerBirthDate('1980', '1980-05-02')).toBe('1980-05-02');
    expect(finerBirthDate('1980-05-02', undefined)).toBe('1980-05-02');
    expect(finerBirthDate(null, undefined)).toBeUndefined();
  });
});

describe('pickProfile', () => {
  const p = (profileId: string, birthDate: string | null, updatedAt = '2025-01-01T00:00:00.000Z') => ({ profileId, birthDate, updatedAt });
  it('prefers a birth date that confirms over one that is missing, then the latest update', () => {
    expect(pickProfile([p('none', null), p('day', '1980-05-02')], '1980-05-02')?.profileId).toBe('day');
    expect(pickProfile([p('year', '1980'), p('day', '1980-05-02')], '1980-05-02')?.profileId).toBe('day');
    expect(pickProfile([p('old', null), p('new', null, '2025-02-01T00:00:00.000Z')], undefined)?.profileId).toBe('new');
    expect(pickProfile([p('other', '1990-01-01')], '1980-05-02')).toBeUndefined();
  });
});
