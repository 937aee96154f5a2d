// The one command-line convention of the project (card, queue, registry, kiosk): each command is a
// function run(argv, io) returning its exit code, and a thin entry that calls it with the process's.
// Exit codes: 0 done, 1 failed (one line on stderr), 2 usage (the reason, then the usage).
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Where a command writes: the process's streams, or strings in a test. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** For a command that may run until stopped (serve, virtual). */
export interface StoppableIo extends CommandIo {
  /** Settles when the command should stop: SIGINT/SIGTERM for the program (`interrupted()`). */
  readonly interrupted: Promise<void>;
}

/** The command line was used wrongly: the caller prints the reason and the usage, and exits EXIT_USAGE. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A UsageError, or node:util parseArgs refusing an option or a positional. */
export const isUsageError = (e: unknown): boolean =>
  e instanceof UsageError || (typeof e === 'object' && e !== null && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));

/** An error's stable code (`code`), or `failed` when it has none. */
const codeOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'failed';

/** `CODE: message`, the one line a failed command prints after `error: `. */
export const failureLine = (e: unknown): string => `${codeOf(e)}: ${e instanceof Error ? e.message : String(e)}`;

/**
 * Runs a command's body and answers its errors by the convention: a usage error prints the reason
 * and the usage (EXIT_USAGE), any other error one line `error: CODE: message` (EXIT_FAILED).
 */
export async function answerErrors(
  io: CommandIo,
  usage: string,
  body: () => Promise<number>,
  describe: (e: unknown) => string = failureLine,
): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (isUsageError(e)) {
      io.stderr(`error: ${(e as Error).message}\n${usage}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`error: ${describe(e)}\n`);
    return EXIT_FAILED;
  }
}

export type OptionValues<T extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: T; allowPositionals: true }>>['values'];

export interface CommandLine<T extends ParseArgsOptionsConfig> {
  readonly usage: string;
  /** The options, `help` among them. */
  readonly options: T;
  /** The line after `error: ` for a failure; `CODE: message` by default. */
  readonly describe?: (e: unknown) => string;
  /**
   * Options refused with their reason, whatever follows them: checked before parsing, so a value
   * that parseArgs would misread (one starting with `-`) still gets the reason, never an echo.
   */
  readonly refused?: Readonly<Record<string, string>>;
}

/**
 * A command line with subcommands: argv parsed strictly, `--help` prints the usage (exit 0), no
 * command is a usage error, and `body` runs the command under answerErrors.
 */
export function runCommandLine<T extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  io: CommandIo,
  line: CommandLine<T>,
  body: (command: string, values: OptionValues<T>, args: string[]) => Promise<number>,
): Promise<number> {
  return answerErrors(
    io,
    line.usage,
    async () => {
      for (const [name, reason] of Object.entries(line.refused ?? {})) {
        if (argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`))) throw new UsageError(`--${name} is not accepted: ${reason}`);
      }
      const { positionals, values } = parseArgs({ args: [...argv], options: line.options, allowPositionals: true });
      const [command, ...args] = positionals;
      if ((values as { help?: unknown }).help === true) {
        io.stdout(`${line.usage}\n`);
        return 0;
      }
      if (command === undefined) throw new UsageError('no command');
      return body(command, values as OptionValues<T>, args);
    },
    line.describe,
  );
}

/** True in the module the process was started with (`tsx registry/cli.ts`), false when a test imports it. */
export const isEntryPoint = (importMetaUrl: string): boolean =>
  process.argv[1] !== undefined && importMetaUrl === pathToFileURL(process.argv[1]).href;

/** The process's streams, for an entry point. */
export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Settles on the first SIGINT or SIGTERM: a long-running command (serve, virtual) stops then. */
export const interrupted = (): Promise<void> =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
