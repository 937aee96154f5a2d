// The kiosk UI's Content-Security-Policy, one for both ways the UI is served: Electron's kiosk://
// protocol (main.ts) and the loopback server (loopback/server.ts). Only what the page may connect
// to differs: nothing in Electron (IPC carries the calls), the server's own WebSocket on loopback.
export function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
