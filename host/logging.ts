// The kiosk host runs the card reader and the sync side in one process: its entry points (the
// Electron main process, `npm run kiosk`) set both parts' loggers once, from LOG_LEVEL (default info).
import { configureLogging as configureCardReaderLogging } from '../card-reader/log.js';
import { configureLogging as configureSyncLogging, logLevel } from '../sync/log.js';

export function configureHostLogging(env: Record<string, string | undefined>): void {
  const level = logLevel(env.LOG_LEVEL, 'info');
  configureCardReaderLogging(level);
  configureSyncLogging(level);
}
