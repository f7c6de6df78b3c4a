// Lint also enforces the runtime layering of docs/ARCHITECTURE.md, so a wrong import fails
// here rather than in review: only electron/main touches Electron, the renderer sees only
// the types of electron/api, and nothing reaches into renderer/ or tests/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noRendererOrTests = [
  { group: ['**/renderer/**', '**/renderer'], message: 'Nothing imports the renderer.' },
  { group: ['**/tests/**'], message: 'Nothing imports tests.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'native/build/', 'tests/e2e/artifacts/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The engine: plain Node, runs in the utility process, the CLI and browser mode alike.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only electron/main/ imports electron; the engine is plain Node.' }],
          patterns: [
            ...noRendererOrTests,
            { group: ['**/main/**', '../main', '../main/*'], message: 'The engine never imports the Electron shell.' },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in electron/store only: elsewhere the database driver is out of reach.
    files: ['electron/**/*.ts'],
    ignores: ['electron/store/**', 'electron/main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only electron/main/ imports electron; the engine is plain Node.' },
            { name: 'better-sqlite3-multiple-ciphers', message: 'SQL lives in electron/store/ only.' },
          ],
          patterns: [
            ...noRendererOrTests,
            { group: ['**/main/**', '../main', '../main/*'], message: 'The engine never imports the Electron shell.' },
          ],
        },
      ],
    },
  },
  {
    // The one exception to the rule above: an NSRL RDSv3 hash set is a plain SQLite file the user
    // chose, and its reader opens that file read-only with the driver (it never opens the store).
    // This file alone gets the driver back; every other engine restriction still applies to it.
    files: ['electron/matching/importers/nsrl-rds3.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only electron/main/ imports electron; the engine is plain Node.' }],
          patterns: [
            ...noRendererOrTests,
            { group: ['**/main/**', '../main', '../main/*'], message: 'The engine never imports the Electron shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'better-sqlite3-multiple-ciphers', message: 'The shell never touches the store; the engine does.' }],
          patterns: noRendererOrTests,
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer is sandboxed: it talks to the engine through the API client only.' }],
          patterns: [
            { group: ['**/tests/**'], message: 'Nothing imports tests.' },
            {
              regex: '^(\\.\\./)+electron/(?!api/)',
              message: 'The renderer sees only electron/api/ (types).',
            },
            {
              regex: '^node:',
              message: 'The renderer runs in a sandboxed page: no Node modules.',
            },
          ],
        },
      ],
      // Values from electron/api would drag engine code (zod schemas, services) into the page.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+electron/api/', allowTypeImports: true, message: 'Import only types from electron/api/.' }] },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
