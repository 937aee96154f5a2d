// The loopback transport's frames (a WebSocket carrying the contract's tables): JSON text, one frame
// per message. Shared by the host's server (host/loopback/) and the renderer's client
// (renderer/api/loopback.ts). Browser-safe: zod only. The payloads are validated by the contract's
// own schemas on the host, so here they stay `unknown`.
import { z } from 'zod';

export const LOOPBACK_PATH = '/api';
/** The query parameter of the WebSocket URL that carries the per-start secret. */
export const TOKEN_PARAM = 'token';
/** The line `npm run kiosk -- serve` prints on stdout, before the URL (`#token=SECRET` in its fragment). */
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
export const ServerFrame = z.discriminatedUnion('t', [ResultFrame, EventFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
