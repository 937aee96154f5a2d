// Named pino loggers for sync/ (the mechanism: common/log.ts). Personal data never goes into a log
// line; the redact list is a second fence for fields that might slip into an object by mistake.
// Logs go to stderr: stdout belongs to the command lines' output. The level is set once by the
// entry point (configureLogging): queue, registry, the benchmarks, the kiosk host.
import { partLogging } from '../common/log.js';

export { logLevel } from '../common/log.js';

export const { logger, configureLogging } = partLogging(
  ['surname', 'firstNames', 'email', 'mobile', 'street', 'address', 'birthDate', 'person', 'token', 'authorization'],
  ['req.headers.authorization'],
);
