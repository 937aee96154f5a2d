// The withdrawal code: a random code the kiosk makes at commit and prints on the receipt, so a
// customer the chain cannot otherwise find again (a "no" to the registry, a form with a name only)
// can still look up and withdraw their consents at any kiosk of that chain, with their name. Crockford
// base32 (no I, L, O, U), read back forgivingly: case, dashes and spaces do not matter, I and L read
// as 1, O as 0. 10 characters are 50 bits: with the name and the per-kiosk and per-name limits, no guess lands.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const WITHDRAWAL_CODE_LENGTH = 10;

/** The code as it travels and is kept: 10 Crockford base32 characters, upper case, no separator. */
export const WITHDRAWAL_CODE = /^[0-9A-HJKMNP-TV-Z]{10}$/;

export function newWithdrawalCode(): string {
  // 32 symbols divide 256, so a byte's low 5 bits are uniform.
  // WebCrypto's generator (global in Node and browsers): the wire schemas that use the pattern above
  // are bundled into the receipt's verification page too.
  return [...crypto.getRandomValues(new Uint8Array(WITHDRAWAL_CODE_LENGTH))].map((b) => ALPHABET[b & 31]).join('');
}

/** As typed at a kiosk (lower case, `ABCDE-FGHJK`, an O for a 0) to the form it was issued in. */
export function normaliseWithdrawalCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}
