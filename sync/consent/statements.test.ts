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

describe('currentStatement', () => {
  it('gives the exact rendered text, its hash, purposes and controller', () => {
    const s = currentStatement('chain', 'nl');
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
    const file = c.readFile('central-registry-profile', '1');
    c.publish({
      ...file,
      version: '2',
      text: { ...file.text, en: { ...file.text.en, title: 'Central Consumer Registry: your details, kept current' } },
    });
    expect(currentStatement('registry', 'en', loadStatements(c.dir))).toMatchObject({ id: 'central-registry-profile', version: '2' });
    expect(currentStatement('registry', 'en').version).toBe('1');
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
    const v1 = c.readFile('demo-retail-loyalty', '1');
    const v2 = {
      ...v1,
      version: '2',
      text: { ...v1.text, fr: { ...v1.text.fr, title: 'Programme de fidélité Demo Retail NV : vos choix' } },
    };
    c.writeFile(v2);
    expect(missingPins(c.dir).map((p) => `${p.id} v${p.version} ${p.language}`)).toEqual([
      'demo-retail-loyalty v2 nl',
      'demo-retail-loyalty v2 fr',
      'demo-retail-loyalty v2 de',
      'demo-retail-loyalty v2 en',
    ]);
    expect(loadStatements(c.dir).current('chain', 'fr').version).toBe('1'); // unpinned files are not published
    expect(pinStatements(c.dir)).toHaveLength(4);
    expect(pinStatements(c.dir)).toEqual([]);
    c.publish(v2);
    const catalog = loadStatements(c.dir);
    expect(catalog.current('chain', 'fr').version).toBe('2');
    expect(catalog.find('demo-retail-loyalty', '1', 'fr').textSha256).not.toBe(catalog.current('chain', 'fr').textSha256);
    // Only French changed; the other languages of v2 read the same as v1 but are their own version.
    expect(catalog.find('demo-retail-loyalty', '2', 'nl').text).toBe(catalog.find('demo-retail-loyalty', '1', 'nl').text);
  });

  it('refuses a version whose languages disagree on the purposes', () => {
    const c = fresh();
    const v1 = c.readFile('demo-retail-loyalty', '1');
    const de = { ...v1.text.de, purposes: v1.text.de.purposes.filter((p) => p.id !== 'profiling') };
    c.writeFile({ ...v1, version: '2', text: { ...v1.text, de } });
    expect(codeOf(() => pinStatements(c.dir))).toBe(
      'STATEMENT_INVALID: statement demo-retail-loyalty v2: de purposes are not [loyalty,offers-email,offers-sms,offers-post,profiling]',
    );
  });

  it('refuses a version missing a language', () => {
    const c = fresh();
    const v1 = c.readFile('demo-retail-loyalty', '1');
    const { de: _de, ...three } = v1.text;
    c.writeFile({ ...v1, version: '2', text: three as typeof v1.text });
    expect(codeOf(() => pinStatements(c.dir))).toMatch(/^STATEMENT_INVALID: .*v2\.json: text\.de: /);
  });

  it('refuses a text with a line break inside a paragraph (it would blur block boundaries)', () => {
    const c = fresh();
    const v1 = c.readFile('demo-retail-loyalty', '1');
    v1.version = '2';
    v1.text.en.intro[0] = 'First line\n\nsecond line';
    c.writeFile(v1);
    expect(codeOf(() => pinStatements(c.dir))).toMatch(/^STATEMENT_INVALID: .*text\.en\.intro\.0: one trimmed line/);
  });

  it('refuses a manifest pin whose file is missing', () => {
    const c = fresh();
    c.remove();
    expect(codeOf(() => loadStatements(c.dir))).toMatch(/^STATEMENT_NOT_FOUND: cannot read .*manifest\.json$/);
  });
});
