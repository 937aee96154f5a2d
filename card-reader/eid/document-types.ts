// Code tables of the identity file (beid.md §4), with English meanings for staff screens. Unknown
// codes get an "Unknown ..." meaning instead of an error: new card kinds appear faster than software.

/** A code as written on the card, with what it means. */
export interface CodedValue {
  code: string;
  meaning: string;
}

const DOCUMENT_TYPES: ReadonlyMap<number, string> = new Map([
  [1, 'Belgian eID card'],
  [2, 'EC citizen card (2004 code)'],
  [3, 'Non-EC citizen card (2004 code)'],
  [6, 'Kids-ID'],
  [7, 'Bootstrap card'],
  [8, 'Habilitation card'],
  [11, 'Foreigner card A'],
  [12, 'Foreigner card B'],
  [13, 'Foreigner card C'],
  [14, 'Foreigner card D'],
  [15, 'Foreigner card E'],
  [16, 'Foreigner card E+'],
  [17, 'Foreigner card F'],
  [18, 'Foreigner card F+'],
  [19, 'Foreigner card H (EU Blue Card)'],
  [20, 'Foreigner card I'],
  [21, 'Foreigner card J'],
  [22, 'Foreigner card M (Brexit)'],
  [23, 'Foreigner card N (Brexit frontier worker)'],
  [27, 'Foreigner card K'],
  [28, 'Foreigner card L'],
  [31, 'Foreigner card EU'],
  [32, 'Foreigner card EU+'],
  [33, 'Foreigner card A (2021)'],
  [34, 'Foreigner card B (2021)'],
  [35, 'Foreigner card F (2021)'],
  [36, 'Foreigner card F+ (2021)'],
  [61, 'Kids foreigner card EU'],
  [62, 'Kids foreigner card EU+'],
  [63, 'Kids foreigner card A'],
  [64, 'Kids foreigner card B'],
  [65, 'Kids foreigner card K'],
  [66, 'Kids foreigner card L'],
  [67, 'Kids foreigner card F'],
  [68, 'Kids foreigner card F+'],
  [69, 'Kids foreigner card M'],
]);

export const documentTypeLabel = (type: number): string => DOCUMENT_TYPES.get(type) ?? `Unknown document type ${type}`;

export interface SpecialStatusFlags {
  whiteCane: boolean;
  extendedMinority: boolean;
  yellowCane: boolean;
}

// Not a bit field: 5 is yellow cane + extended minority (CE SpecialStatus.java).
const SPECIAL_STATUSES: readonly SpecialStatusFlags[] = [
  { whiteCane: false, extendedMinority: false, yellowCane: false },
  { whiteCane: true, extendedMinority: false, yellowCane: false },
  { whiteCane: false, extendedMinority: true, yellowCane: false },
  { whiteCane: true, extendedMinority: true, yellowCane: false },
  { whiteCane: false, extendedMinority: false, yellowCane: true },
  { whiteCane: false, extendedMinority: true, yellowCane: true },
];

/** The meaning of special status 0-5; undefined for a code this table does not know. */
export const specialStatusFlags = (status: number): SpecialStatusFlags | undefined => {
  const flags = SPECIAL_STATUSES[status];
  return flags && { ...flags };
};

export const SPECIAL_ORGANISATIONS: Readonly<Record<string, string>> = {
  '1': 'SHAPE',
  '2': 'NATO',
  '4': 'Former blue card holder',
  '5': 'Researcher',
};

export const WORK_PERMITS: Readonly<Record<string, string>> = {
  '7': 'Unlimited access to the labour market',
  '8': 'Limited access to the labour market',
  '9': 'No access to the labour market',
  A: 'Seasonal worker',
};

export const BREXIT_MENTIONS: Readonly<Record<string, string>> = {
  B: 'Article 18(1) of the Withdrawal Agreement',
  C: 'Permanent stay',
};

// Tags 1D and 1E share one table: 1E only uses K today, but a card moving a mention is no error.
export const CARD_A_MENTIONS: Readonly<Record<string, string>> = {
  A: 'Seasonal worker',
  D: 'Student',
  E: 'Pupil',
  F: 'Trainee',
  G: 'Volunteer',
  H: 'Au pair',
  I: 'Researcher',
  J: 'Job search',
  K: 'Mobility programme',
};

export function codedValue(table: Readonly<Record<string, string>>, code: string, kind: string): CodedValue {
  return { code, meaning: Object.hasOwn(table, code) ? table[code]! : `Unknown ${kind} ${code}` };
}
