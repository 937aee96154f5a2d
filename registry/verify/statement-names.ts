// What the verification page needs of the published statements to show a receipt in words: each
// version's title, controller and purpose titles in its language, and the first 128 bits of its text
// hash, which the receipt repeats. Public (the statements are published); pure zod, shared by the
// route that serves it (GET /verify/statements.json, route.ts) and the page that reads it.
import { z } from 'zod';
import { Language, Party } from '../../sync/wire/schemas.js';

export const StatementName = z.object({
  id: z.string(),
  version: z.string(),
  language: Language,
  party: Party,
  title: z.string(),
  controller: z.string(),
  /** Hex: the statement's text hash starts with it (compact-receipt.ts carries as much). */
  textSha256Prefix: z.string(),
  purposes: z.record(z.string(), z.string()),
});
export type StatementName = z.infer<typeof StatementName>;
export const StatementNames = z.array(StatementName);
