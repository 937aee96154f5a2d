// Pins the hash of every new statement version in resources/consent/manifest.json (or DIR's).
// Usage: npx tsx sync/cli/pin-statements.ts [DIR]. Exit codes as every command line of the
// project (common/cli.ts): 0 done, 1 failed, 2 usage.
import { EXIT_FAILED, EXIT_USAGE, isEntryPoint, processIo, type CommandIo } from '../../common/cli.js';
import { isConsentError } from '../consent/errors.js';
import { pinStatements } from '../consent/pin.js';
import { defaultStatementsDir } from '../consent/statements.js';

const USAGE = 'usage: npx tsx sync/cli/pin-statements.ts [DIR]   (DIR: the statements folder, default resources/consent)';

/** The whole command line as a function: tests call it as the program does. */
export function runPinStatements(argv: readonly string[], io: CommandIo): number {
  if (argv.length > 1 || argv[0]?.startsWith('-')) {
    io.stderr(`error: ${argv[0]?.startsWith('-') ? `unknown option ${argv[0]}` : 'one DIR at most'}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    const added = pinStatements(argv[0] ?? defaultStatementsDir());
    for (const p of added) io.stdout(`pinned ${p.id} v${p.version} ${p.language} ${p.sha256}\n`);
    if (added.length === 0) io.stdout('nothing new to pin\n');
    return 0;
  } catch (e) {
    const code = isConsentError(e) ? e.code : ((e as { code?: string }).code ?? 'failed');
    io.stderr(`error: ${code}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILED;
  }
}

if (isEntryPoint(import.meta.url)) process.exitCode = runPinStatements(process.argv.slice(2), processIo);
