// Hex for messages and logs (status words, file ids, tags), upper case as APDU traces are written.
export const hexByte = (n: number): string => n.toString(16).padStart(2, '0').toUpperCase();
/** A status word or a file id: four digits. */
export const hexWord = (n: number): string => n.toString(16).padStart(4, '0').toUpperCase();
export const toHex = (bytes: Uint8Array, sep = ''): string => Array.from(bytes, hexByte).join(sep);
