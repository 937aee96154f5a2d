// Named pino loggers for card-reader/. Log APDU headers and status words, never response data:
// identity and address bytes are personal data, and tag 06 is the national register number.
// Logs go to stderr: stdout belongs to the command lines' output (one JSON object for `card read`).
import { pino, type Logger } from 'pino';

const root: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: undefined,
}, pino.destination({ fd: 2, sync: true }));

export const logger = (name: string): Logger => root.child({ mod: name });
