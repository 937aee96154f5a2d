// End to end: Debian's Chromium against the built renderer served by the real kiosk host, with the
// real card-reader (a virtual card through pcscd, slot 1), the real store and a reference registry
// on loopback. One worker: the test files share one pcscd reader.
import { defineConfig } from '@playwright/test';

// The card-reader's and registry's info lines (they run inside the test workers) would drown the report.
process.env.LOG_LEVEL ??= 'warn';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  timeout: 300_000,
  expect: { timeout: 15_000 },
  globalSetup: './support/global-setup.ts',
  outputDir: '../test-results/e2e',
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'off',
  },
});
