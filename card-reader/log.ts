// Named pino loggers for card-reader/. Log APDU headers and status words, never response data:
// identity and address bytes are personal data, and tag 06 is the national register number. The
// redact list is a second fence for fields that might slip into an object by mistake.
// Logs go to stderr: stdout belongs to the command lines' output (one JSON object for `card read`).
// The level is set once by the entry point (configureLogging), not read from the environment at
// import, so no entry point has to order its imports around the logger.
import { pino, type Level, type Logger } from 'pino';

const REDACT = [
  '*.surname',
  '*.firstNames',
  '*.birthDate',
  '*.birthPlace',
  '*.street',
  '*.address',
  '*.identity',
  '*.photo',
  '*.data',
  '*.response',
];

const root: Logger = pino(
  {
    level: process.env.VITEST ? 'silent' : 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: undefined,
  },
  pino.destination({ fd: 2, sync: true }),
);

// A pino child copies its parent's level when made; the module loggers are made at import, so a
// later configureLogging sets each of them too.
const children = new Set<Logger>();

export const logger = (name: string): Logger => {
  const child = root.child({ mod: name });
  children.add(child);
  return child;
};

/** Called once by an entry point (a command line, a benchmark, the kiosk host). */
export function configureLogging(level: Level | 'silent'): void {
  root.level = level;
  for (const child of children) child.level = level;
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** LOG_LEVEL as given, or the entry point's default when it is unset or not a level. */
export const logLevel = (text: string | undefined, fallback: Level | 'silent'): Level | 'silent' =>
  text !== undefined && LEVELS.has(text) ? (text as Level | 'silent') : fallback;
