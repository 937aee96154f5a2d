// The IPC channel names of the Electron transport, derived from call names. Kept apart from the
// contract's schemas so the preload bundle carries no zod: the main process validates.
export const callChannel = (name: string): string => `kiosk:${name}`;
export const EVENT_CHANNEL = 'kiosk:event';
