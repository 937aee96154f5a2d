// The customer's receipt after a commit: the lines of sync/consent/receipt.ts in their language, and
// a QR code they can photograph that holds the receipt itself, signed by the kiosk
// (sync/proof/compact-receipt.ts): inside the registry's verification URL, `…/verify#r=<JWS>&c=<code>`,
// so a phone's browser checks it against the published keys. It names statements, versions, text
// hashes, purposes and decisions, the time, the kiosk and the chain, and the enrollment's random
// reference: no name, address or contact detail. The withdrawal code rides beside the JWS, unsigned:
// the customer's secret (with their name it opens "My consents"), it goes to them and nowhere else.
import QRCode from 'qrcode';
import { compactReceipt, receiptQrText } from '../sync/proof/compact-receipt.js';
import type { Signer } from '../sync/proof/jws.js';
import { signReceipt } from '../sync/proof/signatures.js';
import { formatWithdrawalCode, renderReceipt } from '../sync/consent/receipt.js';
import type { StatementCatalog } from '../sync/consent/statements.js';
import type { ConsentRecord, Language } from '../sync/wire/schemas.js';
import type { Receipt } from '../api/contract.js';

/** What signs the receipt and where it is checked. */
export interface ReceiptProof {
  /** The kiosk's own key (the store's): the registry publishes its public half. */
  readonly signer: Signer;
  readonly chainId: string;
  /** The registry's verification page; absent without a registry (the QR holds the fragment alone). */
  readonly verifyUrl?: string;
}

/** The verification page of the registry at `registryUrl` (a path prefix kept). */
export const verifyUrlOf = (registryUrl: string): string =>
  new URL('verify', registryUrl.endsWith('/') ? registryUrl : `${registryUrl}/`).href;

/** The QR's text: the signed receipt in the verification URL, with the code beside it. */
export function receiptQr(records: readonly ConsentRecord[], language: Language, proof: ReceiptProof, withdrawalCode?: string): string {
  const jws = signReceipt(compactReceipt(records, proof.chainId, language), proof.signer);
  return receiptQrText(jws, {
    ...(proof.verifyUrl !== undefined && { verifyUrl: proof.verifyUrl }),
    ...(withdrawalCode !== undefined && { withdrawalCode: formatWithdrawalCode(withdrawalCode) }),
  });
}

/**
 * The QR as SVG. Level L (7% redundancy): a code shown on a clean screen loses no modules, and the
 * lower level keeps the modules large enough for a phone at arm's length; the quiet zone is the
 * standard's four modules.
 */
export const qrSvg = (text: string): Promise<string> => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'L', margin: 4 });

/** The receipt of a commit; `withdrawalCode` as commitEnrollment issued it (none without a chain consent). */
export async function buildReceipt(
  records: readonly ConsentRecord[],
  language: Language,
  catalog: StatementCatalog,
  proof: ReceiptProof,
  withdrawalCode?: string,
): Promise<Receipt> {
  const receiptId = records[0]!.subjectRef;
  const { lines } = renderReceipt(records, language, catalog, withdrawalCode);
  return {
    receiptId,
    lines,
    language,
    qrSvg: await qrSvg(receiptQr(records, language, proof, withdrawalCode)),
    ...(withdrawalCode !== undefined && { withdrawalCode: formatWithdrawalCode(withdrawalCode) }),
  };
}
