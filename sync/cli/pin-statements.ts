// Pins the hash of every new statement version in resources/consent/manifest.json (or DIR's).
// Usage: npx tsx sync/cli/pin-statements.ts [DIR]. Exit codes as every command line of the
// project (common/cli.ts): 0 done, 1 failed, 2 usage.
import { answerErrors, isEntryPoint, processIo, UsageError, type CommandIo } from '../../common/cli.js';
import { pinStatements } from '../consent/pin.js';
import { defaultStatementsDir } from '../consent/statements.js';

const USAGE = 'usage: npx tsx sync/cli/pin-statements.ts [DIR]   (DIR: the statements folder, default resources/consent)';

/** The whole command line as a function: tests call it as the program does. */
export function runPinStatements(argv: readonly string[], io: CommandIo): Promise<number> {
  return answerErrors(io, USAGE, async () => {
    if (argv[0]?.startsWith('-')) throw new UsageError(`unknown option ${argv[0]}`);
    if (argv.length > 1) throw new UsageError('one DIR at most');
    const added = pinStatements(argv[0] ?? defaultStatementsDir());
    for (const p of added) io.stdout(`pinned ${p.id} v${p.version} ${p.language} ${p.sha256}\n`);
    if (added.length === 0) io.stdout('nothing new to pin\n');
    return 0;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runPinStatements(process.argv.slice(2), processIo);
