// Guards the statements shipped in resources/consent: every published text still hashes to its
// pin, every file is pinned, and the four languages say the same things.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../wire/schemas.js';
import { missingPins } from './pin.js';
import { periodOf, RETENTION } from './retention.js';
import { readManifest, readStatementFile, renderBlocks, renderText, sha256Hex, changedMessage } from './statement-format.js';
import { defaultStatementsDir, loadStatements } from './statements.js';

const dir = defaultStatementsDir();
const manifest = readManifest(dir);
// Loaded inside each test, so an edited text fails the pin test with its message, not the file's import.
const catalog = () => loadStatements(dir);

describe('published consent statements', () => {
  it('still render to the text pinned in the manifest', () => {
    expect(manifest.pins.length).toBeGreaterThan(0);
    for (const pin of manifest.pins) {
      const text = renderText(renderBlocks(readStatementFile(dir, pin.id, pin.version), pin.language));
      expect(sha256Hex(text), changedMessage(pin.id, pin.version, pin.language)).toBe(pin.sha256);
    }
  });

  it('are all pinned (run `npx tsx sync/cli/pin-statements.ts` after adding a version)', () => {
    expect(missingPins(dir)).toEqual([]);
  });

  it('exist for every version in all four languages with the same purposes and sections', () => {
    const versions = new Set(
      catalog()
        .all()
        .map((s) => `${s.id} v${s.version}`),
    );
    expect([...versions].sort()).toEqual([
      'central-registry-profile v1',
      'central-registry-profile v2',
      'central-registry-profile v3',
      'demo-retail-loyalty v1',
      'demo-retail-loyalty v2',
      'demo-retail-loyalty v3',
    ]);
    for (const s of catalog().all()) {
      const en = catalog().find(s.id, s.version, 'en');
      expect(s.purposes.map((p) => [p.id, p.legalBasis])).toEqual(en.purposes.map((p) => [p.id, p.legalBasis]));
      const sections = (v: typeof s) => v.blocks.filter((b) => b.role === 'section-heading').map((b) => b.sectionId);
      expect(sections(s)).toEqual(sections(en));
    }
    expect(catalog().all()).toHaveLength(versions.size * LANGUAGES.length);
  });

  it('give the chain its five purposes and the registry its one, each with a legal basis', () => {
    const chain = catalog().current('chain', 'en');
    expect(chain.purposes.map((p) => p.id)).toEqual(['loyalty', 'offers-email', 'offers-sms', 'offers-post', 'profiling']);
    expect(
      catalog()
        .current('registry', 'en')
        .purposes.map((p) => p.id),
    ).toEqual(['profile-sync']);
    for (const s of catalog().all()) for (const p of s.purposes) expect(p.legalBasisText).toMatch(/6/);
  });

  it('name the controller, its DPO, every recipient and the supervisory authority in every language', () => {
    const mustName = {
      chain: [
        'Demo Retail NV',
        'Voorbeeldstraat 10',
        'dpo@demo-retail.example.be',
        'Central Consumer Registry BV',
        'Example Mailing Services BV',
      ],
      registry: [
        'Central Consumer Registry BV',
        'Registerplein 5',
        'dpo@consumer-registry.example.be',
        'Demo Retail NV',
        'Example Datacenter NV',
      ],
    };
    const authority = {
      nl: 'Gegevensbeschermingsautoriteit',
      fr: 'Autorité de protection des données',
      de: 'Datenschutzbehörde',
      en: 'Data Protection Authority',
    };
    const street = { nl: 'Drukpersstraat 35', fr: 'Rue de la Presse 35', de: 'Drukpersstraat 35', en: 'Drukpersstraat 35' };
    for (const s of catalog().all()) {
      for (const words of [...mustName[s.party], authority[s.language], street[s.language], '1000', 'contact@apd-gba.be']) {
        expect(s.text, `${s.id} v${s.version} ${s.language} must name ${words}`).toContain(words);
      }
      expect(s.text).not.toMatch(/partners|partenaires|Partner/i);
    }
  });

  it('state in words the retention figures that records carry', () => {
    for (const s of catalog().all()) {
      const retention = s.blocks
        .filter((b) => b.sectionId === 'retention')
        .map((b) => b.text)
        .join(' ');
      for (const figure of Object.values(RETENTION[s.party])) {
        expect(retention, `${s.id} ${s.language} retention must say ${figure}`).toMatch(new RegExp(`\\b${figure}\\b`));
      }
    }
  });

  it('say in the current versions how long one-time codes and unsent messages are kept, where the inventory keeps them', () => {
    // Each language's words for the codes and for the period's unit, as the texts use them.
    const words = {
      nl: [/eenmalige code/i, 'dagen'],
      fr: [/code.? à usage unique/i, 'jours'],
      de: [/Einmalcode/, 'Tage'],
      en: [/one-time code/i, 'days'],
    } as const;
    for (const party of ['chain', 'registry'] as const) {
      const { id, version } = manifest.current[party];
      for (const language of LANGUAGES) {
        const s = catalog().find(id, version, language);
        const kept = (s.inventory ?? []).some((e) => e.retention.includes('transient-messages'));
        const period = kept ? periodOf(party, 'transient-messages') : undefined;
        const [code, unit] = words[language];
        const stated = s.blocks.some(
          (b) =>
            b.sectionId === 'retention' &&
            code.test(b.text) &&
            period !== undefined &&
            'days' in period &&
            b.text.includes(`${period.days} ${unit}`),
        );
        expect(stated, `${id} v${version} ${language}: the retention section states the transient-messages period`).toBe(kept);
      }
    }
  });

  it('keep shown paragraphs short enough for a touchscreen', () => {
    for (const s of catalog().all()) for (const b of s.blocks) expect(b.text.length, b.text).toBeLessThanOrEqual(300);
  });
});
