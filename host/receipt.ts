// The customer's receipt after a commit: the lines of sync/consent/receipt.ts in their language, and
// a QR code (SVG) they can photograph. The QR holds the receipt id (the enrollment's own uuid), each
// statement id and version, each purpose and its status, how to withdraw and the withdrawal code: no
// name, no address, nothing that identifies the person without the registry. The code is the
// customer's secret (with their name it opens "My consents"): it goes to them and nowhere else.
import QRCode from 'qrcode';
import { formatWithdrawalCode, renderReceipt } from '../sync/consent/receipt.js';
import type { StatementCatalog } from '../sync/consent/statements.js';
import type { ConsentRecord, Language } from '../sync/wire/schemas.js';
import type { Receipt } from '../api/contract.js';

/** The QR payload as plain text lines, so any phone's camera app shows it readably. */
export function receiptQrText(receiptId: string, records: readonly ConsentRecord[], withdrawalCode?: string): string {
  const lines = [`eID kiosk consent receipt ${receiptId}`];
  for (const r of records) {
    lines.push(`${r.party}: ${r.notice.statementId} v${r.notice.version} (${r.notice.language})`);
    lines.push(`  ${r.purposes.map((p) => `${p.id}=${p.status}`).join(' ')}`);
  }
  const methods = [...new Set(records.flatMap((r) => r.withdrawal.methods))];
  lines.push(`withdraw: ${methods.map((m) => (m === 'kiosk' ? 'any kiosk, "My consents"' : m)).join('; ')}`);
  if (withdrawalCode !== undefined) lines.push(`withdrawal code: ${formatWithdrawalCode(withdrawalCode)}`);
  return lines.join('\n');
}

/** The receipt of a commit; `withdrawalCode` as commitEnrollment issued it (none without a chain consent). */
export async function buildReceipt(
  records: readonly ConsentRecord[],
  language: Language,
  catalog: StatementCatalog,
  withdrawalCode?: string,
): Promise<Receipt> {
  const receiptId = records[0]!.subjectRef;
  const { lines } = renderReceipt(records, language, catalog, withdrawalCode);
  const qrSvg = await QRCode.toString(receiptQrText(receiptId, records, withdrawalCode), {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
  });
  return {
    receiptId,
    lines,
    language,
    qrSvg,
    ...(withdrawalCode !== undefined && { withdrawalCode: formatWithdrawalCode(withdrawalCode) }),
  };
}
