// The loopback transport's frames (a WebSocket carrying the contract's tables): JSON text, one frame
// per message. Shared by the host's server (host/loopback/) and the renderer's client
// (renderer/api/loopback.ts). Browser-safe: zod only. The payloads are validated by the contract's
// own schemas on the host, so here they stay `unknown`.
import { z } from 'zod';

export const LOOPBACK_PATH = '/api';
/**
 * The one-time bootstrap ticket: in the page's URL fragment (`#ticket=…`), then in the first
 * WebSocket's query. The host accepts it once and answers with the session secret (a SecretFrame),
 * so the secret itself is never on a command line (Chromium's `--app=URL` is in /proc/PID/cmdline).
 */
export const TICKET_PARAM = 'ticket';
/** The query parameter of a reconnecting WebSocket that carries the session secret. */
export const TOKEN_PARAM = 'token';
/** The close code of a connection replaced by a newer one (one live connection at a time): do not reconnect. */
export const REPLACED_CLOSE_CODE = 4001;
/** The environment variable a harness that starts the host may set to know the session secret (never argv). */
export const SECRET_ENV = 'KIOSK_LOOPBACK_SECRET';
/** The line `npm run kiosk -- serve` prints on stdout, before the URL (`#ticket=TICKET` in its fragment). */
export const URL_LINE_PREFIX = 'kiosk ui: ';

export const CallFrame = z.strictObject({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(64),
  input: z.unknown(),
});
export type CallFrame = z.infer<typeof CallFrame>;

export const ResultFrame = z.strictObject({ t: z.literal('result'), id: z.number().int().nonnegative(), result: z.unknown() });
export const EventFrame = z.strictObject({ t: z.literal('event'), name: z.string(), payload: z.unknown() });
/** The first frame on a connection opened with the ticket: the secret for reconnecting. */
export const SecretFrame = z.strictObject({ t: z.literal('secret'), secret: z.string().min(1) });
export const ServerFrame = z.discriminatedUnion('t', [ResultFrame, EventFrame, SecretFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
