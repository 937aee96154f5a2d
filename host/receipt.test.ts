// The QR a customer photographs: the receipt itself, signed by the kiosk, in the registry's
// verification URL with the withdrawal code beside it; small enough to scan from the screen, and
// nothing in it that names the person.
import jsqr from 'jsqr';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { buildConsentRecord } from '../sync/consent/records.js';
import { bundledStatements, currentStatement } from '../sync/consent/statements.js';
import type { CompactReceipt } from '../sync/proof/compact-receipt.js';
import { readQrText, receiptView } from '../sync/proof/compact-receipt.js';
import { generateSigningKey, jwkThumbprint } from '../sync/proof/ed25519.js';
import { toNumericDate, type KeySet } from '../sync/proof/key-set.js';
import { verifyReceipt } from '../sync/proof/signatures.js';
import type { Language } from '../sync/wire/schemas.js';
import { context } from '../sync/test/fixtures/statements.js';
import { buildReceipt, receiptQr, verifyUrlOf } from './receipt.js';

// jsqr is CommonJS with an ES default in its types: the function is the module and its `default` alike.
const jsQR = jsqr.default;
const SUBJECT = '0193a4f2-7c1e-7b3d-9a2f-55e6c4d3b2a1';
const key = generateSigningKey();
const keys: KeySet = {
  keys: [
    {
      ...key.publicJwk,
      kid: jwkThumbprint(key.publicJwk),
      alg: 'EdDSA',
      use: 'sig',
      nbf: toNumericDate('2025-01-01T00:00:00Z'),
      owner: 'kiosk',
      chainId: 'demo-retail',
      kioskId: 'kiosk-07',
    },
  ],
};

/** A customer's records at one commit: every purpose of both statements answered, as the longest receipt has it. */
function records(language: Language = 'nl') {
  const all = (party: 'chain' | 'registry', yes: boolean) =>
    Object.fromEntries(currentStatement(party, language).purposes.map((p, i) => [p.id, yes && i % 2 === 0]));
  return (['chain', 'registry'] as const).map((party) =>
    buildConsentRecord({
      ...context(),
      party,
      statement: currentStatement(party, language),
      decisions: all(party, true),
      subjectRef: SUBJECT,
      dataCategories: [{ id: 'surname', source: 'eid-chip' }],
    }),
  );
}
const proof = { signer: key, chainId: 'demo-retail', verifyUrl: verifyUrlOf('https://registry.demo-retail.example.be/') };

/** The QR's modules drawn at `px` pixels each with its quiet zone, decoded as a phone's camera app would. */
function decodeAt(text: string, px: number): string | undefined {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'L' });
  const side = (modules.size + 8) * px;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const [mx, my] = [Math.floor(x / px) - 4, Math.floor(y / px) - 4];
      if (mx >= 0 && my >= 0 && mx < modules.size && my < modules.size && modules.get(my, mx))
        rgba.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  return jsQR(rgba, side, side)?.data;
}

describe('the receipt in the QR code', () => {
  it('is the verification URL with the signed receipt in its fragment and the withdrawal code beside it, unsigned', () => {
    const text = receiptQr(records(), 'nl', proof, 'AB12CD34EF');
    expect(text.startsWith('https://registry.demo-retail.example.be/verify#r=')).toBe(true);
    expect(text.endsWith('&c=AB12C-D34EF')).toBe(true);
    const { jws, withdrawalCode } = readQrText(text);
    expect(withdrawalCode).toBe('AB12C-D34EF');
    const checked = verifyReceipt(jws, keys);
    if (!checked.ok) throw new Error(checked.failure);
    const view = receiptView(checked.value);
    expect(view).toMatchObject({ id: SUBJECT, chain: 'demo-retail', kiosk: 'kiosk-07', at: '2025-03-12T13:03:00.000Z', lang: 'nl' });
    const [chain, registry] = records();
    expect(view.records).toEqual(
      [chain!, registry!].map((r) => ({
        party: r.party,
        event: 'given',
        statement: r.notice.statementId,
        version: r.notice.version,
        lang: 'nl',
        textSha256Prefix: r.notice.textSha256.slice(0, 32),
        purposes: Object.fromEntries(r.purposes.map((p) => [p.id, p.status])),
      })),
    );
    // The code is the customer's secret: not signed, not in the receipt.
    expect(JSON.stringify(checked.value)).not.toContain('AB12C');
  });

  it('names nobody: no name, birth date, address or contact detail, only ids, statements, decisions and the time', () => {
    const jws = readQrText(receiptQr(records('fr'), 'fr', proof)).jws;
    const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as CompactReceipt;
    expect(Object.keys(payload).sort()).toEqual(['c', 'id', 'k', 'l', 'r', 't', 'v']);
    expect(Object.keys(payload.r[0]!).sort()).toEqual(['e', 'h', 'p', 's', 'u', 'v']);
  });

  it('without a registry, holds the fragment alone, which reads the same', () => {
    const text = receiptQr(records(), 'en', { signer: key, chainId: 'demo-retail' }, 'AB12CD34EF');
    expect(text.startsWith('#r=ey')).toBe(true);
    expect(verifyReceipt(readQrText(text).jws, keys).ok).toBe(true);
    expect(readQrText(readQrText(text).jws).jws).toBe(readQrText(text).jws);
  });

  it.each(['nl', 'fr', 'de', 'en'] as const)('in %s, stays small enough to scan from the screen at 4 px a module', (language) => {
    const text = receiptQr(records(language), language, proof, 'AB12CD34EF');
    const { version } = QRCode.create(text, { errorCorrectionLevel: 'L' });
    // Version 20 is 97 modules: with the quiet zone, 420 px at 4 px a module.
    expect(text.length).toBeLessThan(860);
    expect(version).toBeLessThanOrEqual(20);
    expect(decodeAt(text, 4)).toBe(text);
  });

  it('is what the SVG on the confirmation screen draws', async () => {
    const receipt = await buildReceipt(records(), 'nl', bundledStatements(), proof, 'AB12CD34EF');
    // Ed25519 signatures are deterministic: the same receipt signs to the same QR.
    expect(receipt.qrSvg).toBe(
      await QRCode.toString(receiptQr(records(), 'nl', proof, 'AB12CD34EF'), { type: 'svg', errorCorrectionLevel: 'L', margin: 4 }),
    );
    expect(receipt.withdrawalCode).toBe('AB12C-D34EF');
  });
});
