// On-screen keyboard layouts: Belgian AZERTY (the default in Belgium) and QWERTY, each with the
// digits on top, and @ : / .be .com keys for e-mail and web addresses (the set-up screen's registry).
// Accented letters sit one key away.
export type LayoutName = 'azerty' | 'qwerty';
export type LayerName = 'default' | 'shift' | 'accents';

const bottom = '{accents} @ : / {space} .be .com';
const accentRows = ['é è ê ë à â ä ç {bksp}', 'ï î ô ö ü û ù ñ ß', "É È À Ç Ô Ü - ' .", '{abc} @ : / {space} .be .com'];

export const LAYOUTS: Readonly<Record<LayoutName, Record<LayerName, string[]>>> = {
  azerty: {
    default: ['1 2 3 4 5 6 7 8 9 0 {bksp}', 'a z e r t y u i o p', 'q s d f g h j k l m', "{shift} w x c v b n - ' . _", bottom],
    shift: ['1 2 3 4 5 6 7 8 9 0 {bksp}', 'A Z E R T Y U I O P', 'Q S D F G H J K L M', "{shift} W X C V B N - ' . +", bottom],
    accents: accentRows,
  },
  qwerty: {
    default: ['1 2 3 4 5 6 7 8 9 0 {bksp}', 'q w e r t y u i o p', 'a s d f g h j k l', "{shift} z x c v b n m - ' .", bottom],
    shift: ['1 2 3 4 5 6 7 8 9 0 {bksp}', 'Q W E R T Y U I O P', 'A S D F G H J K L', "{shift} Z X C V B N M - ' .", bottom],
    accents: accentRows,
  },
};

/** The value after one key: keys are appended, {bksp} removes the last character. */
export function applyKey(value: string, key: string): string {
  if (key === '{bksp}') return [...value].slice(0, -1).join('');
  if (key === '{space}') return `${value} `;
  return value + key;
}
