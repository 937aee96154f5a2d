// Named pino loggers for sync/. Personal data never goes into a log line; the redact list is a
// second fence for fields that might slip into an object by mistake. Logs go to stderr: stdout
// belongs to the command lines' output.
import { pino, type Logger } from 'pino';

const REDACT = [
  '*.surname',
  '*.firstNames',
  '*.email',
  '*.mobile',
  '*.street',
  '*.address',
  '*.birthDate',
  '*.person',
  '*.token',
  'req.headers.authorization',
  '*.authorization',
];

const root: Logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
    redact: { paths: REDACT, censor: '[redacted]' },
    base: undefined,
  },
  pino.destination({ fd: 2, sync: true }),
);

export const logger = (name: string): Logger => root.child({ mod: name });
