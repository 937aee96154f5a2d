// Builds the touchscreen UI into dist/renderer as plain files: no inline script, every font and icon
// in the bundle (the kiosk is offline), relative URLs so the custom protocol and loopback both serve it.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // A strict CSP (script-src 'self') forbids the inline module-preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'chrome120',
    // One chunk on purpose: the kiosk loads it once from disk, never over a network.
    chunkSizeWarningLimit: 800,
  },
});
