// What a reader holds, as the session and a connection both see it (its own module, so that the
// session and the connection do not import each other).
export interface ReaderStatus {
  reader: string;
  present: boolean;
  atr?: Uint8Array;
  /** Counts cards seen in this reader: a new card, even between two polls, is a new number. */
  insertion: number;
}
