// Lint rules that keep the architecture honest: no console (named pino loggers instead),
// no floating promises, and each folder importing only what architecture.md allows.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (zones) => ({
  'no-restricted-imports': ['error', { patterns: zones }],
});

// Every top-level part, so each zone names what it may not reach.
const PARTS = ['card-reader', 'sync', 'registry', 'api', 'host', 'electron', 'renderer'];
const partsBut = (...allowed) => PARTS.filter((p) => !allowed.includes(p)).map((p) => `**/${p}/**`);

const SYNC_ALONE = {
  group: [...partsBut('sync', 'registry'), 'electron', '@pokusew/pcsclite'],
  message: 'sync stands alone (architecture.md).',
};
// The kiosk's sync code never reaches into the registry server; its tests and benchmarks start one.
const SYNC_NOT_REGISTRY = { group: ['**/registry/**'], message: 'sync knows the registry only by the wire schemas (architecture.md).' };
// Each sync folder and the folders it may import ('*': the rest of sync, free to import any).
const SYNC_LAYERS = {
  '*': [],
  db: [],
  wire: [],
  // The signatures of consent records and receipts: the store signs at commit, so it sits below it.
  proof: ['wire'],
  consent: ['wire', 'proof'],
  store: ['db', 'wire', 'proof'],
  outbox: ['store', 'wire'],
  // client/compose-sync.ts wires the client to the store; the client itself sees only the OutboxPort.
  client: ['outbox', 'store', 'wire', 'proof'],
  manager: ['outbox', 'store', 'consent', 'wire', 'proof'],
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
        group: [...partsBut(), 'electron'],
        message: 'common imports no part (architecture.md).',
      },
    ]),
  },
  {
    // card-reader knows PC/SC and the eID card, nothing of sync, consent or Electron.
    files: ['card-reader/**/*.ts'],
    rules: restrict([{ group: [...partsBut('card-reader'), 'electron'], message: 'card-reader stands alone (architecture.md).' }]),
  },
  // sync knows the store, outbox and wire, nothing of PC/SC or Electron; inside it each folder
  // imports only the folders below it (sync/README.md), so the layers cannot grow a cycle. Tests,
  // their helpers and benchmarks may reach any fixture.
  ...Object.entries(SYNC_LAYERS).map(([folder, below]) => ({
    files: [folder === '*' ? 'sync/**/*.ts' : `sync/${folder}/**/*.ts`],
    ...(folder === '*' ? {} : { ignores: ['**/*.test.ts', '**/test/**', '**/bench/**'] }),
    rules: restrict([
      SYNC_ALONE,
      SYNC_NOT_REGISTRY,
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
    // sync's tests and benchmarks run the kiosk against a real reference registry.
    files: ['sync/**/*.test.ts', 'sync/test/**/*.ts', 'sync/bench/**/*.ts'],
    rules: restrict([SYNC_ALONE]),
  },
  {
    // The reference registry shares sync's wire schemas, migration runner and statements, and
    // nothing of the kiosk: not its store, outbox or client, nor card-reader, the host or the UI.
    files: ['registry/**/*.ts'],
    rules: restrict([
      {
        group: [...partsBut('sync', 'registry'), 'electron', '@pokusew/pcsclite'],
        message: 'the registry stands alone (architecture.md).',
      },
      {
        group: ['**/sync/store/**', '**/sync/outbox/**', '**/sync/client/**', '**/sync/manager/**', '**/sync/cli/**'],
        message: 'the registry shares only the wire schemas, db, consent and the small sync helpers (architecture.md).',
      },
    ]),
  },
  {
    // renderer knows only the API contract (and its loopback frames) and its own files: no Node, no PC/SC.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    rules: restrict([
      {
        regex: '(^|/)(card-reader|sync|registry|host|electron)(/|$)|^(electron|@pokusew/pcsclite|better-sqlite3|ws|fastify|pino)$|^node:',
        message: 'renderer imports only api/contract and its own files (architecture.md).',
      },
      {
        regex: '^\\.\\./(\\.\\./)+api/(?!(contract|loopback-frames)(\\.js)?$)',
        message: 'renderer imports only api/contract and its own files (architecture.md).',
      },
    ]),
  },
  {
    // The renderer's build config runs under Node, so it is checked with the Node project.
    files: ['renderer/vite.config.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './tsconfig.json' } },
  },
  {
    // The kiosk host is plain Node (architecture.md): only the shell in electron/ imports Electron,
    // and the host knows the renderer only through the API contract. Its demo and tests start a
    // reference registry.
    files: ['host/**/*.ts'],
    rules: restrict([
      { group: ['electron', 'electron/*', '**/electron/**'], message: 'the host is plain Node: only electron/ imports Electron.' },
      { group: ['**/renderer/**'], message: 'the host knows the renderer only through the API contract.' },
    ]),
  },
  {
    // The API contract is what the renderer may import: it imports nothing of ours but card-reader's
    // leaf list of verdict codes (plain constants).
    files: ['api/**/*.ts'],
    rules: restrict([
      {
        group: [...partsBut(), '!**/card-reader/types.js', 'electron'],
        message: 'api imports no part: the renderer imports it (architecture.md).',
      },
    ]),
  },
  {
    // electron/ is the thin shell: it composes the host and binds the API; it never reaches into the renderer.
    files: ['electron/**/*.ts'],
    rules: restrict([
      {
        group: ['**/renderer/**', '**/card-reader/**', '**/registry/**'],
        message: 'the shell composes the host; it never reaches past it (architecture.md).',
      },
    ]),
  },
  {
    // electron/'s checks (IPC, key storage, updates) are plain Node, so they are tested under Node.
    files: ['electron/ipc-guard.ts', 'electron/key-storage.ts', 'electron/update-verify.ts'],
    rules: restrict([
      { group: ['electron', 'electron/*', 'electron-updater'], message: 'these checks are plain Node, tested under Node.' },
    ]),
  },
  {
    // Command lines and benchmarks print their result on stdout by design.
    files: ['**/cli.ts', '**/cli/**/*.ts', '**/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
