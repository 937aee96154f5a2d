// Log lines carry ids, routes and counts: never a body, a name, an address, a contact or a token.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import type { RegistryStore } from '../store.js';
import { freshStore, provisionTestKiosk } from './fixtures/registry.js';
import { EMILE, enrollmentItem } from '../../sync/test/fixtures/payloads.js';

describe('registry logging', () => {
  let store: RegistryStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await freshStore('sqlite'));
  });
  afterEach(async () => dispose());

  it('logs one line per request and no personal data', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'debug', redact: ['req.headers.authorization'] }, sink);
    const app = buildApp({ store, now: () => new Date('2025-03-01T10:00:00.000Z'), logger });
    const kiosk = { kioskId: 'kiosk-a', chainId: 'chain-a', storeId: 'store-a' };
    const token = await provisionTestKiosk(store, kiosk, new Date());
    const headers = { authorization: `Bearer ${token}` };
    await app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers,
      payload: {
        kioskId: 'kiosk-a',
        sentAt: '2025-03-01T10:00:00.000Z',
        items: [enrollmentItem({ ...kiosk, token }, { registry: 'given', person: { mobile: '+32470999888' } }), { bad: EMILE.email }],
      },
    });
    await app.inject({
      method: 'POST',
      url: '/v1/consents/lookup',
      headers,
      payload: { surname: EMILE.surname, firstNames: EMILE.firstNames, email: EMILE.email },
    });
    await app.inject({
      method: 'POST',
      url: '/v1/consents/lookup',
      headers,
      payload: { surname: 'Nobody', firstNames: 'Known', email: 'nobody@example.be' },
    });
    await app.close();

    const text = lines.join('');
    expect(lines.filter((l) => l.includes('"msg":"request"'))).toHaveLength(3);
    expect(text).toContain('"route":"/v1/batches"');
    expect(text).toContain('"accepted":1');
    for (const secret of [
      token,
      'Dupont',
      'Lefèvre',
      'Émile',
      'Rue Haute',
      'emile@example.be',
      '+32470999888',
      '1980-05-02',
      'Nobody',
      'nobody@example.be',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
