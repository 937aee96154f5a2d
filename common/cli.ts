// The one command-line convention of the project (card, queue, registry, kiosk): each command is a
// function run(argv, io) returning its exit code, and a thin entry that calls it with the process's.
// Exit codes: 0 done, 1 failed (one line on stderr), 2 usage (the reason, then the usage).
import { pathToFileURL } from 'node:url';

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Where a command writes: the process's streams, or strings in a test. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The command line was used wrongly: the caller prints the reason and the usage, and exits EXIT_USAGE. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A UsageError, or node:util parseArgs refusing an option or a positional. */
export const isUsageError = (e: unknown): boolean =>
  e instanceof UsageError || (typeof e === 'object' && e !== null && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));

/** True in the module the process was started with (`tsx sync/cli/registry.ts`), false when a test imports it. */
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
