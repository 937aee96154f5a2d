// Synthetic paper-import lines for demos and load tests: valid by construction, deterministic for a
// given seed (a small PRNG, no Math.random), always on the current statement of each party.
import type { StatementCatalog, StatementView } from '../consent/statements.js';
import type { Language } from '../wire/schemas.js';
import type { PaperLine } from './paper-import.js';

const SURNAMES = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Dubois', 'Lambert', 'Dupont', 'Schmitz', 'Willems', 'Claes'];
const FIRST_NAMES = ['Jan', 'Marie', 'Luc', 'Sofie', 'Pierre', 'Camille', 'Lukas', 'Emma', 'Noah', 'Léa'];
const PLACES: readonly [string, string, Language][] = [
  ['1000', 'Brussel', 'nl'],
  ['2000', 'Antwerpen', 'nl'],
  ['9000', 'Gent', 'nl'],
  ['4000', 'Liège', 'fr'],
  ['5000', 'Namur', 'fr'],
  ['4700', 'Eupen', 'de'],
];
const STREETS = ['Kerkstraat', 'Stationsstraat', 'Rue de la Gare', 'Rue Haute', 'Marktplatz'];

/** mulberry32: 32-bit state, good enough spread for synthetic data, identical on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SampleOptions {
  readonly seed: number;
  /** First collection time; later lines follow within minutes. Fixed so a seed always gives the same lines. */
  readonly start: Date;
  readonly chainId: string;
  readonly storeId: string;
  readonly kioskId: string;
}

export function samplePaperLines(count: number, statements: StatementCatalog, options: SampleOptions): PaperLine[] {
  const rand = prng(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  let at = options.start.getTime();
  const lines: PaperLine[] = [];
  for (let i = 0; i < count; i++) {
    const [postalCode, municipality, language] = pick(PLACES);
    const chain = statements.current('chain', language);
    const registry = statements.current('registry', language);
    const surname = pick(SURNAMES);
    const firstNames = pick(FIRST_NAMES);
    at += Math.floor(rand() * 600_000);
    const decide = (s: StatementView) => ({
      party: s.party,
      statementId: s.id,
      version: s.version,
      language,
      purposes: Object.fromEntries(s.purposes.map((p) => [p.id, rand() < 0.6])),
    });
    lines.push({
      chainId: options.chainId,
      storeId: options.storeId,
      kioskId: options.kioskId,
      // Belgian winter time: the local clock and its offset, as staff copy it from the form.
      collectedAt: new Date(at + 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+01:00'),
      person: {
        surname,
        firstNames,
        language,
        address: { street: `${pick(STREETS)} ${1 + Math.floor(rand() * 200)}`, postalCode, municipality, country: 'BE' },
        ...(rand() < 0.7
          ? {
              email: `${firstNames}.${surname}.${i}@example.org`
                .normalize('NFD')
                .replace(/[^\x20-\x7e]/g, '')
                .toLowerCase(),
            }
          : {}),
        ...(rand() < 0.5 ? { mobile: `+3247${String(Math.floor(rand() * 1e7)).padStart(7, '0')}` } : {}),
      },
      consents: [decide(chain), decide(registry)],
    });
  }
  return lines;
}
