import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Layers of DESIGN.md: each may import only the layers below it. */
const layer = (files, forbidden, extra = {}) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((name) => ({
          group: [`**/${name}/**`, `**/${name}`],
          message: `imports point down the layers of DESIGN.md; this layer may not import src/${name}`,
        })),
      },
    ],
    ...extra,
  },
});

/** DOM globals that only src/ui may touch. */
const domGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'HTMLElement', 'alert'].map((name) => ({
  name,
  message: 'only src/ui touches the DOM',
}));

export default tseslint.config(
  { ignores: ['dist/', 'public/', 'node_modules/', 'test-results/', 'playwright-report/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  layer(['src/sandbox/**'], ['ui', 'agent', 'share', 'node'], { 'no-restricted-globals': ['error', ...domGlobals] }),
  layer(['src/share/**'], ['ui', 'agent', 'node', 'sandbox'], { 'no-restricted-globals': ['error', ...domGlobals] }),
  layer(['src/agent/**'], ['ui', 'node'], { 'no-restricted-globals': ['error', ...domGlobals] }),
  layer(['src/node/**'], ['ui'], { 'no-restricted-globals': ['error', ...domGlobals] }),
  {
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/sandbox/runtimes/**', '**/sandbox/worker/**'], message: 'the UI talks to src/sandbox/host only' },
            { group: ['**/node/**'], message: 'src/node is not for the browser' },
          ],
        },
      ],
    },
  },
  { files: ['**/*.test.ts', 'e2e/**', 'tests/**'], rules: { 'no-restricted-globals': 'off' } },
);
