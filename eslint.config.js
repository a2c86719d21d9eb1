// Lint configuration: typescript-eslint's recommended, type-aware rules for the
// TypeScript (host) side. AssemblyScript sources (kernel, userland, generated
// ABI view) use AS-only types and decorators, so tsc and eslint skip them;
// the AssemblyScript compiler checks them instead (it runs in `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**', '**/build/**', '**/dist/**', 'packages/abi/assembly/**',
      'packages/kernel/src/**', 'packages/userland/**', 'coverage/**',
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
);
