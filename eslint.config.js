// Lint configuration: typescript-eslint's recommended, type-aware rules for the
// TypeScript (host) side. AssemblyScript sources (kernel, userland, generated
// ABI view) use AS-only types and decorators, so tsc and eslint skip them;
// the AssemblyScript compiler checks them instead (it runs in `npm test`).
// The playground's React components also follow the rules of hooks; its
// service worker (public/coi-sw.js) runs in a service-worker scope.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**', '**/build/**', '**/dist/**', 'packages/abi/assembly/**',
      'packages/kernel/src/**', 'packages/userland/**', 'coverage/**', 'e2e/screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['apps/playground/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['apps/playground/public/**/*.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
);
