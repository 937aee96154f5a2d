// The card's validity period (identity tags 03 and 04, passed in as 'YYYY-MM-DD'), judged by the
// calendar day in Brussels: a card valid "until 2031-07-05" is valid all of that Belgian day.
import type { Verdict } from '../types.js';

/** The date if `text` is a real 'YYYY-MM-DD' calendar date, else undefined. */
export function isoDate(text: string | undefined): string | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) ? text : undefined;
}

const brusselsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in Belgium at `now`, as 'YYYY-MM-DD'. */
export const brusselsDay = (now: Date): string => brusselsFormat.format(now);

export function checkCardValidity(begin: string | undefined, end: string | undefined, now: Date): Verdict {
  const from = isoDate(begin);
  const until = isoDate(end);
  if (from === undefined || until === undefined) {
    return { ok: false, code: 'DATES_UNREADABLE', reason: 'The validity dates of the card could not be read.' };
  }
  const today = brusselsDay(now);
  if (today < from) return { ok: false, code: 'CARD_NOT_YET_VALID', reason: `The card is not valid before ${from}.` };
  if (today > until) return { ok: false, code: 'CARD_EXPIRED', reason: `The card expired on ${until}.` };
  return { ok: true, code: 'CARD_VALID', reason: `The card is valid until ${until}.` };
}
