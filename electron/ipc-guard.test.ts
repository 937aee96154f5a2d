// The IPC binding's checks as a pure function, under Node without Electron: only our app's main
// frame may call, only calls of the contract, only payloads that pass their schema.
import { describe, expect, it } from 'vitest';
import { checkIpcCall, isOurFrame } from './ipc-guard.js';

const main = { url: 'kiosk://app/index.html', isMainFrame: true };

describe('checkIpcCall', () => {
  it('passes a call from our main frame with a valid payload, parsed', () => {
    expect(checkIpcCall(main, 'session.start', { language: 'nl', intent: 'enroll' })).toEqual({
      ok: true,
      name: 'session.start',
      input: { language: 'nl', intent: 'enroll' },
    });
  });

  it('refuses a subframe, another origin, file:// and a missing frame', () => {
    const refused = { ok: false, error: { code: 'INVALID_REQUEST' } };
    const input = { language: 'nl', intent: 'enroll' };
    expect(checkIpcCall({ ...main, isMainFrame: false }, 'session.start', input)).toEqual(refused);
    expect(checkIpcCall({ url: 'https://evil.example/', isMainFrame: true }, 'session.start', input)).toEqual(refused);
    expect(checkIpcCall({ url: 'kiosk://other/', isMainFrame: true }, 'session.start', input)).toEqual(refused);
    expect(checkIpcCall({ url: 'file:///work/renderer/index.html', isMainFrame: true }, 'session.start', input)).toEqual(refused);
    expect(checkIpcCall(null, 'session.start', input)).toEqual(refused);
    expect(isOurFrame({ url: 'not a url', isMainFrame: true })).toBe(false);
  });

  it('refuses unknown calls and payloads that fail the schema', () => {
    expect(checkIpcCall(main, 'constructor', {})).toMatchObject({ ok: false });
    expect(checkIpcCall(main, 'shell.exec', {})).toMatchObject({ ok: false });
    expect(checkIpcCall(main, 'session.start', { language: 'nl' })).toMatchObject({ ok: false });
    expect(checkIpcCall(main, 'manager.unlock', { pin: '1' })).toMatchObject({ ok: false });
    expect(checkIpcCall(main, 'session.end', { reason: 'done', extra: true })).toMatchObject({ ok: false });
  });
});
