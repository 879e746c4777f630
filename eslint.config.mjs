// Layers of DESIGN.md: imports only point down. One block per folder forbids the wrong direction.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Globs ('**/native/**', 'node:*') restrict by pattern; bare names ('electron', 'fs') only that exact module,
// so '../electron/station-api' is not mistaken for the 'electron' package.
/** Node built-ins and native modules: code that must also run in a browser or stay pure imports none. */
const NODE_MODULES = ['node:*', 'fs', 'path', 'better-sqlite3', 'usb', 'serialport'];

const layer = (files, restricted, message) => {
  const isGlob = (entry) => entry.includes('*') || entry.includes('/');
  const globs = restricted.filter(isGlob);
  const names = restricted.filter((entry) => !isGlob(entry));
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: names.map((name) => ({ name, message })),
          patterns: globs.length ? [{ group: globs, message }] : [],
        },
      ],
    },
  };
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'bin/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      curly: 'error',
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='test'][callee.property.name='only']",
          message: 'No focused tests.',
        },
        {
          selector: "CallExpression[callee.object.name='describe'][callee.property.name='only']",
          message: 'No focused tests.',
        },
        {
          // `import { z }` keeps every zod export (all locales) in a bundle: about 450 KB more in
          // the agent and the CLI bundles, and about 10 MB more RSS in an idle agent.
          selector: "ImportDeclaration[source.value='zod'][importKind='value'] > ImportSpecifier[imported.name='z']",
          message: "Import zod as a namespace (import * as z from 'zod') so bundles keep only what is used.",
        },
      ],
    },
  },
  layer(
    ['protocol/**'],
    [
      '**/native/**',
      '**/electron/**',
      '**/renderer/**',
      '**/district/**',
      'electron',
      ...NODE_MODULES,
      'react',
    ],
    'protocol/ is pure TypeScript and imports nothing of ours.',
  ),
  layer(
    ['cli/**'],
    ['**/native/**', '**/electron/**', '**/renderer/**', '**/district/**', '**/protocol/**', 'electron', 'react'],
    'cli/ is what both command lines share (option parsing, exit codes): Node only, it imports nothing of ours.',
  ),
  layer(
    ['link/**'],
    ['**/native/**', '**/electron/**', '**/renderer/**', '**/district/**', '**/cli/**', 'electron', 'react'],
    'link/ is what both ends of a signed link share (a station, a district forwarding upstream): Node only, it imports protocol/ only.',
  ),
  layer(
    ['native/**'],
    ['**/electron/**', '**/renderer/**', '**/district/**', 'electron', 'react'],
    'native/ holds OS and hardware adapters only: no business logic, no Electron.',
  ),
  layer(
    ['electron/agent/**'],
    [
      'electron',
      '**/renderer/**',
      '**/district/**',
      'react',
      '**/main',
      '**/preload',
      '**/station-api',
      '**/station/**',
      '**/commands/**',
    ],
    'The agent is Node only: never electron, the StationApi contract or its implementation, the renderer or the district.',
  ),
  layer(
    ['electron/station/**'],
    ['electron', '**/renderer/**', '**/district/**', 'react', '**/main', '**/preload', '**/commands/**'],
    'electron/station implements StationApi on the agent: never electron, the renderer or the district.',
  ),
  layer(
    ['electron/station-api.ts', 'electron/station-api-ipc.ts', 'electron/station-api-client.ts'],
    ['electron', '**/agent/**', '**/station/**', '**/native/**', '**/renderer/**', '**/district/**', 'node:*'],
    'The StationApi contract is pure types and schemas.',
  ),
  layer(
    ['electron/shell/**'],
    ['electron', '**/renderer/**', '**/district/**', 'react', '**/main', '**/preload'],
    'electron/shell holds the decisions main.ts wires to Electron: electron-free, so they are tested.',
  ),
  layer(
    ['electron/cli.ts', 'electron/commands/**'],
    ['electron', '**/renderer/**', '**/district/**', '**/station-api', '**/station/**', 'react'],
    'The CLI is the agent without a window: no electron, no StationApi.',
  ),
  layer(
    ['renderer/**'],
    ['**/electron/agent/**', '**/electron/station/**', '**/native/**', '**/district/**', 'electron', ...NODE_MODULES],
    'The renderer talks to the agent only through StationApi.',
  ),
  layer(
    ['district/**'],
    ['**/electron/**', '**/native/**', '**/renderer/**', 'electron'],
    'The district imports protocol/ only.',
  ),
  layer(
    ['district/server/**', 'district/cli.ts', 'district/commands/**'],
    ['**/electron/**', '**/native/**', '**/renderer/**', 'electron', '**/web/**', 'react'],
    'The district server imports protocol/ and the dashboard contract only, never the web app.',
  ),
  layer(
    ['district/web/**'],
    ['**/electron/**', '**/native/**', '**/renderer/**', 'electron', ...NODE_MODULES, 'pg', 'fastify', '**/server/**', '**/commands/**', '**/cli'],
    'The dashboard web app talks to the server only through district/dash-api.ts (types) and HTTP: nothing from district/server.',
  ),
  layer(
    ['district/dash-api.ts', 'district/dash-paging.ts', 'district/dash-first-view.ts'],
    ['**/electron/**', '**/native/**', '**/renderer/**', '**/server/**', '**/web/**', 'node:*', 'fastify', 'electron'],
    'dash-api.ts is the pure contract of the dashboard JSON API.',
  ),
  {
    files: ['renderer/**/*.tsx', 'district/web/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['tests/**', 'bench/**', 'scripts/**', 'electron/cli.ts', 'district/cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
