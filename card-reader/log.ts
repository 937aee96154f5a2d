// Named pino loggers for card-reader/ (the mechanism: common/log.ts). Log APDU headers and status
// words, never response data: identity and address bytes are personal data, and tag 06 is the
// national register number. The redact list is a second fence for fields that might slip into an
// object by mistake. Logs go to stderr: stdout belongs to the command lines' output (one JSON object
// for `card read`). The level is set once by the entry point (configureLogging).
import { partLogging } from '../common/log.js';

export { logLevel } from '../common/log.js';

export const { logger, configureLogging } = partLogging([
  'surname',
  'firstNames',
  'birthDate',
  'birthPlace',
  'street',
  'address',
  'identity',
  'photo',
  'data',
  'response',
]);
