// Named pino loggers for card-reader/. Log APDU headers and status words, never response data:
// identity and address bytes are personal data, and tag 06 is the national register number.
import { pino, type Logger } from 'pino';

const root: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: undefined,
});

export const logger = (name: string): Logger => root.child({ mod: name });
