// Every migration, in order. Append new files here; never edit or reorder a released one.
import { migration001 } from './001-initial.js';
import { migration002 } from './002-receipts.js';
import { migration003 } from './003-sync-status.js';
import { migration004 } from './004-fewer-pages-per-commit.js';
import { migration005 } from './005-one-journal.js';
import { migration006 } from './006-withdrawal-code.js';
import { migration007 } from './007-proof-leaves-with-ack.js';
import { migration008 } from './008-one-copy-of-the-withdrawal-code.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
];
