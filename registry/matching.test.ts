import { describe, expect, it } from 'vitest';
import { isVerifiedEid } from '../sync/wire/registry-match.js';
import { MatchKeyer, matchKey, namesHaveLetters, normaliseName, pickProfile, type StrongKey } from './matching.js';

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

describe('names', () => {
  it('need a letter in both: spaces, dashes and digits are no name', () => {
    expect(namesHaveLetters('Peeters', 'Jan')).toBe(true);
    expect(namesHaveLetters('Ødegård', 'Åsa')).toBe(true);
    expect(namesHaveLetters(' - ', 'Jan')).toBe(false);
    expect(namesHaveLetters('Peeters', '--')).toBe(false);
    expect(namesHaveLetters('123', 'Jan')).toBe(false);
  });
});

const keyer = new MatchKeyer(Buffer.alloc(32, 7));
const NAME = matchKey('Peeters', 'Jan');
const VERIFIED = { identity: true, address: true, photo: true, chain: true };

describe('strong keys', () => {
  it('are keyed digests: the same detail gives the same key, another secret another', () => {
    const k = keyer.key('birth', NAME, '1980-05-02');
    expect(k.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(k.digest).not.toContain('1980');
    expect(keyer.key('birth', NAME, '1980-05-02')).toEqual(k);
    expect(new MatchKeyer(Buffer.alloc(32, 8)).key('birth', NAME, '1980-05-02').digest).not.toBe(k.digest);
    expect(keyer.key('email', NAME, 'Jan@Example.be ').digest).toBe(keyer.key('email', NAME, 'jan@example.be').digest);
  });

  it('take only a full birth date, and only from an eID read with every check passed', () => {
    expect(keyer.detailKeys(NAME, { birthDate: '1980' })).toEqual([]);
    expect(keyer.detailKeys(NAME, { birthDate: '1980-05' })).toEqual([]);
    expect(keyer.detailKeys(NAME, { birthDate: '1980-05-02' })).toHaveLength(1);
    const base = { source: 'eid' as const, eidVerification: VERIFIED };
    expect(isVerifiedEid(base)).toBe(true);
    expect(isVerifiedEid({ ...base, eidVerification: { ...VERIFIED, photo: false } })).toBe(false);
    expect(isVerifiedEid({ source: 'manual', eidVerification: VERIFIED })).toBe(false);
    expect(isVerifiedEid({ source: 'eid' })).toBe(false);
  });

  it('cannot be made without a secret', () => {
    expect(() => new MatchKeyer(undefined).key('email', NAME, 'a@b.be')).toThrow(expect.objectContaining({ code: 'NO_MATCH_KEY' }));
  });
});

describe('pickProfile', () => {
  const birth = keyer.key('birth', NAME, '1980-05-02');
  const otherBirth = keyer.key('birth', NAME, '1990-01-01');
  const email = keyer.key('email', NAME, 'jan@example.be');
  const mobile = keyer.key('mobile', NAME, '+32470000000');
  const p = (profileId: string, ...keys: StrongKey[]) => ({
    profileId,
    digests: new Set(keys.map((k) => k.digest)),
    birthKeyed: keys.some((k) => k.kind === 'birth'),
  });

  it('never matches without a shared strong key', () => {
    expect(pickProfile([p('a', otherBirth), p('b', mobile)], { contacts: [email] })).toBeUndefined();
    expect(pickProfile([p('a', otherBirth)], { birth, contacts: [] })).toBeUndefined();
  });

  it('lets the birth key decide, and a contact key join only a profile no birth key contradicts', () => {
    expect(pickProfile([p('typed', email), p('eid', birth)], { birth, contacts: [email] })?.profileId).toBe('eid');
    expect(pickProfile([p('typed', email)], { birth, contacts: [email] })?.profileId).toBe('typed');
    expect(pickProfile([p('father', otherBirth, email)], { birth, contacts: [email] })).toBeUndefined();
    expect(pickProfile([p('father', otherBirth, email)], { contacts: [email] })?.profileId).toBe('father');
  });

  it('prefers the candidate sharing more contact keys, then the oldest', () => {
    expect(pickProfile([p('one', email), p('two', email, mobile)], { contacts: [email, mobile] })?.profileId).toBe('two');
    expect(pickProfile([p('old', email), p('new', email)], { contacts: [email] })?.profileId).toBe('old');
  });
});
