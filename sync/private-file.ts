// A SQLite database holding personal data is created readable by its owner only: SQLite gives its
// -wal and -shm files the mode of the database file, so creating that one 0600 covers all three.
import { closeSync, openSync } from 'node:fs';

/** Creates `path` empty with mode 0600 unless it exists (an existing file keeps its mode). */
export function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
  }
}
