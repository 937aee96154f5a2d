// Lint rules that keep the architecture honest: no console (named pino loggers instead),
// no floating promises, and each folder importing only what architecture.md allows.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (zones) => ({
  'no-restricted-imports': ['error', { patterns: zones }],
});

const SYNC_ALONE = {
  group: ['**/card-reader/**', '**/electron/**', '**/renderer/**', 'electron', '@pokusew/pcsclite'],
  message: 'sync stands alone (architecture.md).',
};
// Each sync folder and the folders it may import ('*': the rest of sync, free to import any).
const SYNC_LAYERS = {
  '*': [],
  db: [],
  wire: [],
  consent: ['wire'],
  store: ['db', 'wire'],
  outbox: ['store', 'wire'],
  client: ['outbox', 'wire'],
  manager: ['outbox', 'store', 'consent', 'wire'],
  registry: ['db', 'consent', 'wire'],
};
const SYNC_FOLDERS = Object.keys(SYNC_LAYERS)
  .filter((f) => f !== '*')
  .concat(['cli', 'bench', 'test']);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tmp/**', 'coverage/**', 'test-results/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // common/ holds what every part builds on (the coded error base): it imports no part.
    files: ['common/**/*.ts'],
    rules: restrict([
      {
        group: ['**/card-reader/**', '**/sync/**', '**/electron/**', '**/renderer/**', 'electron'],
        message: 'common imports no part (architecture.md).',
      },
    ]),
  },
  {
    // card-reader knows PC/SC and the eID card, nothing of sync, consent or Electron.
    files: ['card-reader/**/*.ts'],
    rules: restrict([
      { group: ['**/sync/**', '**/electron/**', '**/renderer/**', 'electron'], message: 'card-reader stands alone (architecture.md).' },
    ]),
  },
  // sync knows the store, outbox and wire, nothing of PC/SC or Electron; inside it each folder
  // imports only the folders below it (sync/README.md), so the layers cannot grow a cycle. Tests,
  // their helpers and benchmarks may reach any fixture.
  ...Object.entries(SYNC_LAYERS).map(([folder, below]) => ({
    files: [folder === '*' ? 'sync/**/*.ts' : `sync/${folder}/**/*.ts`],
    ...(folder === '*' ? {} : { ignores: ['**/*.test.ts', '**/test/**', '**/bench/**'] }),
    rules: restrict([
      SYNC_ALONE,
      ...(folder === '*'
        ? []
        : [
            {
              group: SYNC_FOLDERS.filter((f) => f !== folder && !below.includes(f)).map((f) => `**/${f}/**`),
              message: `sync/${folder} imports only ${below.join(', ') || 'nothing of sync'} (sync/README.md).`,
            },
          ]),
    ]),
  })),
  {
    // renderer knows only the API contract (and its loopback frames) and its own files: no Node, no PC/SC.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    rules: restrict([
      {
        regex: '(^|/)(card-reader|sync)(/|$)|^(electron|@pokusew/pcsclite|better-sqlite3|ws|fastify|pino)$|^node:',
        message: 'renderer imports only electron/api/contract and its own files (architecture.md).',
      },
      {
        regex: '^\\.\\./(\\.\\./)+electron/(?!api/(contract|loopback-frames)$)',
        message: 'renderer imports only electron/api/contract and its own files (architecture.md).',
      },
    ]),
  },
  {
    // The renderer's build config runs under Node, so it is checked with the Node project.
    files: ['renderer/vite.config.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './tsconfig.json' } },
  },
  {
    // The kiosk host and the API are plain Node (architecture.md): only the few shell files in
    // electron/ (main, preload, ipc) import Electron; the renderer never imports the host side.
    files: ['electron/host/**/*.ts', 'electron/api/**/*.ts', 'electron/loopback/**/*.ts', 'electron/ipc-guard.ts', 'electron/csp.ts'],
    rules: restrict([
      {
        group: ['electron', 'electron/*'],
        message: 'the host and the API are plain Node: Electron is imported only by electron/main.ts, preload.ts and ipc.ts.',
      },
      { group: ['**/renderer/**'], message: 'the host knows the renderer only through the API contract.' },
    ]),
  },
  {
    // Command lines and benchmarks print their result on stdout by design.
    files: ['**/cli.ts', '**/cli/**/*.ts', '**/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
