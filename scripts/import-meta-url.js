// esbuild --inject for the CommonJS bundle of the Electron shell: `import.meta.url` (used by modules
// that find resources/ beside their own file) becomes the bundle's own URL. dist/electron/ sits two
// folders below the root, as card-reader/verify/ and sync/consent/ do, so their relative paths hold.
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
