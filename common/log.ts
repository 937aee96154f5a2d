// Named pino loggers, one root per part (card-reader/log.ts, sync/log.ts), each redacting its
// part's personal-data fields. Logs go to stderr: stdout belongs to the command lines' output.
// The level is set once by the entry point (configureLogging), never read from the environment at
// import, so no entry point has to order its imports around a logger.
import { pino, type Level, type Logger } from 'pino';

export type LogLevel = Level | 'silent';

export interface PartLogging {
  /** A child of the part's root, tagged `mod: name`. */
  readonly logger: (name: string) => Logger;
  /** Called once by an entry point (a command line, a benchmark, the kiosk host). */
  readonly configureLogging: (level: LogLevel) => void;
}

/**
 * The part's loggers. Each field is redacted at the top of a log object and one level down
 * (`{ email }` and `{ person: { email } }`): the second fence, after "personal data never goes into
 * a log line".
 */
export function partLogging(fields: readonly string[], extraPaths: readonly string[] = []): PartLogging {
  const root = pino(
    {
      level: process.env.VITEST ? 'silent' : 'info',
      redact: { paths: [...fields.flatMap((f) => [f, `*.${f}`]), ...extraPaths], censor: '[redacted]' },
      base: undefined,
    },
    pino.destination({ fd: 2, sync: true }),
  );
  // A pino child copies its parent's level when made; module loggers are made at import, so a later
  // configureLogging sets each of them too.
  const children = new Set<Logger>();
  return {
    logger: (name) => {
      const child = root.child({ mod: name });
      children.add(child);
      return child;
    },
    configureLogging: (level) => {
      root.level = level;
      for (const child of children) child.level = level;
    },
  };
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** LOG_LEVEL as given, or the entry point's default when it is unset or not a level. */
export const logLevel = (text: string | undefined, fallback: LogLevel): LogLevel =>
  text !== undefined && LEVELS.has(text) ? (text as LogLevel) : fallback;
