import { afterEach, describe, expect, it } from 'vitest';
import { ConsentError } from './errors.js';
import { missingPins, pinStatements } from './pin.js';
import { sha256Hex } from './statement-format.js';
import { currentStatement, loadStatements } from './statements.js';
import { copyStatements, type StatementsCopy } from '../test/fixtures/statements.js';

let copy: StatementsCopy | undefined;
afterEach(() => copy?.remove());
const fresh = (): StatementsCopy => (copy = copyStatements());

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof ConsentError ? `${e.code}: ${e.detail}` : String(e);
  }
  return undefined;
};

describe('a statement view', () => {
  it('gives the exact rendered text, its hash, purposes and controller', () => {
    const s = loadStatements().find('demo-retail-loyalty', '1', 'nl');
    expect(s).toMatchObject({ id: 'demo-retail-loyalty', version: '1', party: 'chain', language: 'nl' });
    expect(s.textSha256).toBe(sha256Hex(s.text));
    expect(s.text).toBe(s.blocks.map((b) => b.text).join('\n\n'));
    expect(s.text.startsWith('Klantenprogramma van Demo Retail NV: uw keuzes\n\nDemo Retail NV vraagt')).toBe(true);
    expect(s.controller).toEqual({ id: 'demo-retail', name: 'Demo Retail NV', contact: 'dpo@demo-retail.example.be' });
    expect(s.purposes[1]).toEqual({
      id: 'offers-email',
      title: 'Aanbiedingen per e-mail',
      text: 'We sturen onze aanbiedingen en ons nieuws naar uw e-mailadres. In elke e-mail staat een link om ermee te stoppen.',
      legalBasis: 'GDPR Art. 6(1)(a); Belgian Code of Economic Law Art. XII.13',
      legalBasisText: 'Rechtsgrond: uw toestemming (AVG, artikel 6, lid 1, a, en Wetboek van economisch recht, artikel XII.13).',
    });
    // Each purpose's title, text and legal basis follow each other, so its toggle sits right after them.
    const roles = s.blocks.filter((b) => b.purposeId === 'loyalty').map((b) => b.role);
    expect(roles).toEqual(['purpose-title', 'purpose-text', 'legal-basis']);
  });

  it('reads from an injected directory', () => {
    const c = fresh();
    const file = c.next('registry');
    c.publish({ ...file, text: { ...file.text, en: { ...file.text.en, title: 'Central Consumer Registry: your details, kept current' } } });
    expect(currentStatement('registry', 'en', loadStatements(c.dir))).toMatchObject({
      id: 'central-registry-profile',
      version: file.version,
    });
    expect(currentStatement('registry', 'en').version).toBe(String(Number(file.version) - 1));
  });
});

describe('loadStatements', () => {
  it('refuses a published text edited in place, naming statement, version and language', () => {
    const c = fresh();
    const file = c.readFile('demo-retail-loyalty', '1');
    file.text.nl.purposes[0]!.text += ' Extra.';
    c.writeFile(file);
    expect(codeOf(() => loadStatements(c.dir))).toBe(
      'STATEMENT_CHANGED: statement demo-retail-loyalty v1 nl changed: publish a new version instead of editing',
    );
    expect(codeOf(() => missingPins(c.dir))).toMatch(/^STATEMENT_CHANGED: statement demo-retail-loyalty v1 nl changed/);
  });

  it('keeps old versions findable and makes a new one current only once pinned and chosen', () => {
    const c = fresh();
    const was = c.current('chain');
    const next = c.next('chain');
    const v = next.version;
    const edited = { ...next, text: { ...next.text, fr: { ...next.text.fr, title: 'Programme de fidélité Demo Retail NV : vos choix' } } };
    c.writeFile(edited);
    expect(missingPins(c.dir).map((p) => `${p.id} v${p.version} ${p.language}`)).toEqual(
      ['nl', 'fr', 'de', 'en'].map((language) => `demo-retail-loyalty v${v} ${language}`),
    );
    expect(loadStatements(c.dir).current('chain', 'fr').version).toBe(was.version); // unpinned files are not published
    expect(pinStatements(c.dir)).toHaveLength(4);
    expect(pinStatements(c.dir)).toEqual([]);
    c.publish(edited);
    const catalog = loadStatements(c.dir);
    expect(catalog.current('chain', 'fr').version).toBe(v);
    expect(catalog.find('demo-retail-loyalty', was.version, 'fr').textSha256).not.toBe(catalog.current('chain', 'fr').textSha256);
    // Only French changed; the other languages of the new version read the same as the last but are their own version.
    expect(catalog.find('demo-retail-loyalty', v, 'nl').text).toBe(catalog.find('demo-retail-loyalty', was.version, 'nl').text);
  });

  it('refuses a version whose languages disagree on the purposes', () => {
    const c = fresh();
    const next = c.next('chain');
    const de = { ...next.text.de, purposes: next.text.de.purposes.filter((p) => p.id !== 'profiling') };
    c.writeFile({ ...next, text: { ...next.text, de } });
    expect(codeOf(() => pinStatements(c.dir))).toBe(
      `STATEMENT_INVALID: statement demo-retail-loyalty v${next.version}: de purposes are not [loyalty,offers-email,offers-sms,offers-post,profiling]`,
    );
  });

  it('refuses a version missing a language', () => {
    const c = fresh();
    const next = c.next('chain');
    const { de: _de, ...three } = next.text;
    c.writeFile({ ...next, text: three as typeof next.text });
    expect(codeOf(() => pinStatements(c.dir))).toMatch(new RegExp(`^STATEMENT_INVALID: .*v${next.version}\\.json: text\\.de: `));
  });

  it('refuses a text with a line break inside a paragraph (it would blur block boundaries)', () => {
    const c = fresh();
    const next = c.next('chain');
    next.text.en.intro[0] = 'First line\n\nsecond line';
    c.writeFile(next);
    expect(codeOf(() => pinStatements(c.dir))).toMatch(/^STATEMENT_INVALID: .*text\.en\.intro\.0: one trimmed line/);
  });

  it('refuses a current version without an inventory, and an inventory that names what RETENTION_RULES lacks', () => {
    const c = fresh();
    const { inventory: _none, ...bare } = c.next('chain');
    c.publish(bare);
    expect(codeOf(() => loadStatements(c.dir))).toBe(
      `STATEMENT_INVALID: current chain statement demo-retail-loyalty v${bare.version} has no inventory`,
    );

    const next = c.next('registry');
    const inventory = next.inventory!.map((e) => (e.category === 'birthDate' ? { ...e, retention: ['chain-data-inactive'] } : e));
    c.writeFile({ ...next, inventory });
    expect(codeOf(() => pinStatements(c.dir))).toMatch(
      /inventory birthDate \(keyed-digest\) names retention chain-data-inactive, which RETENTION_RULES has not for the registry/,
    );
  });

  it('refuses an inventory kept for the other party, or lacking a data category the records may carry', () => {
    const c = fresh();
    const next = c.next('chain');
    const inventory = next.inventory!.map((e) =>
      e.category === 'email' && e.keptAs === 'plain' ? { ...e, party: 'registry' as const } : e,
    );
    c.writeFile({ ...next, inventory: inventory.filter((e) => e.category !== 'mobile') });
    const problem = codeOf(() => pinStatements(c.dir));
    expect(problem).toMatch(/inventory email \(plain\) is kept for the registry, not the chain/);
    expect(problem).toMatch(/data category mobile from self-declared is not in the inventory/);
  });

  it('refuses a manifest pin whose file is missing', () => {
    const c = fresh();
    c.remove();
    expect(codeOf(() => loadStatements(c.dir))).toMatch(/^STATEMENT_NOT_FOUND: cannot read .*manifest\.json$/);
  });
});
