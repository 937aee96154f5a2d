// A registry withdrawal taken at one chain's kiosk is carried to the registry's gives at the other
// chains, but only to gives decided before it: a give made later at another chain (an offline
// kiosk's, received first) is the customer's later decision, and stands.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consentEventItem, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { signed } from '../../sync/test/fixtures/kiosk-keys.js';
import type { ConsentLookupResponse } from '../../sync/wire/registry-api.js';
import type { ConsentRecord, Person } from '../../sync/wire/schemas.js';
import { auditRows } from '../proof/audit.js';
import { registryWithdrawal, statementRecord } from '../proof/fixtures/records.js';
import type { KeySet } from '../../sync/proof/key-set.js';
import { ENGINES, postJson, send, twoChains, type Kiosk, type TestEnv } from './fixtures/registry-app.js';

const BORN = '1980-05-17';
const JAN: Partial<Person> = { surname: 'Peeters', firstNames: 'Jan', birthDate: undefined };
const WHO = { surname: 'PEETERS', firstNames: 'jan', birthDate: BORN, recordIds: true };

describe.each(ENGINES)('a registry withdrawal carried to other chains on %s', (engine) => {
  let env: TestEnv, a: Kiosk, b: Kiosk;

  const enrol = async (kiosk: Kiosk, at: string): Promise<{ subjectRef: string; registry: ConsentRecord }> => {
    const item = enrollmentItem(kiosk, { registry: 'given', person: JAN, registryMatch: { birthDate: BORN } });
    const subjectRef = item.payload.enrollmentId;
    const [chain, registry] = (['chain', 'registry'] as const).map((party) =>
      statementRecord({ party, type: 'given', kiosk, subjectRef, at }),
    );
    await send(env, kiosk, signed({ ...item, payload: { ...item.payload, consents: [chain!, registry!] } }));
    return { subjectRef, registry: registry! };
  };
  const withdrawAtA = async (atA: { subjectRef: string; registry: ConsentRecord }) =>
    send(env, a, consentEventItem(a, registryWithdrawal(a, atA)));
  const registryStateAt = async (kiosk: Kiosk) =>
    (await postJson(env, kiosk, '/v1/consents/lookup', WHO)).json<ConsentLookupResponse>().registry[0];
  const auditFailures = async (chainId: string) => {
    const keys = (await env.app.inject({ method: 'GET', url: '/v1/keys' })).json<KeySet>();
    return auditRows(await env.store.proofRows(chainId, null), env.store.rules.statements, keys).failed;
  };

  beforeEach(async () => ({ env, a, b } = await twoChains(engine)));
  afterEach(async () => env.dispose());

  it('withdraws a give made at another chain before it', async () => {
    const atA = await enrol(a, '2025-03-01T09:00:00.000Z');
    await enrol(b, '2025-03-01T09:10:00.000Z');
    await withdrawAtA(atA);
    expect(await registryStateAt(b)).toMatchObject({ status: 'withdrawn' });
    expect(await auditFailures('chain-b')).toBe(0);
  });

  it('leaves a give made at another chain after it, even when that give arrived first', async () => {
    const atA = await enrol(a, '2025-03-01T09:00:00.000Z');
    const atB = await enrol(b, '2025-03-02T10:00:00.000Z');
    await withdrawAtA(atA);
    expect(await registryStateAt(b)).toMatchObject({ status: 'given', recordId: atB.registry.recordId });
    expect(await auditFailures('chain-b')).toBe(0);
  });
});
