// The shapes that cross card-reader's boundary. The national register number has no field here on
// purpose: it is dropped while parsing and never leaves the parser.

/** Raw card files, named as in ../shared/fixtures/beid/specimen-alice-rsa. Absent on the card = absent here. */
export const CARD_FILE_NAMES = [
  'atr.bin',
  'card-data.bin', // GET CARD DATA response (not a file on the card; served by the virtual card)
  'identity.tlv', // DF01/4031
  'identity-signature.bin', // DF01/4032
  'address.tlv', // DF01/4033
  'address-signature.bin', // DF01/4034
  'photo.jpg', // DF01/4035
  'basic-key.der', // DF01/4040 (applet 1.8)
  'authentication-cert.der', // DF00/5038
  'signing-cert.der', // DF00/5039
  'ca-cert.der', // DF00/503A
  'root-cert.der', // DF00/503B
  'rrn-cert.der', // DF00/503C
] as const;
export type CardFileName = (typeof CARD_FILE_NAMES)[number];
export type CardFiles = Partial<Record<CardFileName, Uint8Array>>;

/**
 * Stable codes for what a check found, one per distinct outcome, so a UI words them in its own
 * language (and branches on them) without parsing `reason`. The README lists which check gives which.
 */
export const VERDICT_CODES = [
  // identity and address signatures
  'SIGNED',
  'SIGNATURE_EMPTY',
  'SIGNATURE_MISMATCH',
  'SIGNATURE_MALFORMED',
  'UNSUPPORTED_KEY',
  // any check whose input was not read from the card
  'NOT_READ',
  // the RRN certificate and its chain (CERTIFICATE_INVALID also fails both signature checks)
  'CERTIFICATE_INVALID',
  'CHAIN_TRUSTED',
  'CHAIN_UNTRUSTED',
  'ROOT_NOT_VALID',
  'CERTIFICATE_NOT_VALID',
  'CERTIFICATE_NOT_FOR_SIGNING',
  // the photo against its signed hash
  'PHOTO_MATCHES',
  'PHOTO_HASH_MISSING',
  'PHOTO_MISMATCH',
  // the card's validity dates
  'CARD_VALID',
  'CARD_EXPIRED',
  'CARD_NOT_YET_VALID',
  'DATES_UNREADABLE',
  // applet 1.8: the chip's basic key
  'CHIP_PROVEN',
  'CHIP_KEY_UNNAMED',
  'CHIP_KEY_SUBSTITUTED',
  'CHIP_REFUSED',
  'CHIP_FAILED',
] as const;
export type VerdictCode = (typeof VERDICT_CODES)[number];

/** A verdict on one authenticity check: `code` for programs, `reason` for people (English), passed or failed. */
export interface Verdict {
  ok: boolean;
  code: VerdictCode;
  reason: string;
}

export interface Verification {
  identity: Verdict; // DF01/4032 over 4031 by the RRN key
  address: Verdict; // DF01/4034 over address-without-trailing-zeros || whole 4032
  photo: Verdict; // hash of 4035 equals identity tag 0x11
  chain: Verdict; // RRN certificate chains to a trusted root
  cardValidity: Verdict; // today within the card's validity dates
  /** Applet 1.8 only (absent otherwise): the chip holds the basic key whose hash is identity tag 0x1A. */
  basicKey?: Verdict;
}
