// ESLint flat config. Type-aware rules are on everywhere; src/core gets the determinism rules
// (no clock, randomness, I/O, async or floating-point literals). test/tidy.test.ts re-checks the
// parts a lint rule cannot see (imports resolving outside src/core, division on numbers).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const coreBannedGlobals = [
  'Date', 'performance', 'process', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout',
  'clearInterval', 'queueMicrotask', 'crypto', 'fetch', 'Buffer', 'require', 'console', 'Promise',
  'WeakRef', 'FinalizationRegistry', 'SharedArrayBuffer', 'Atomics', 'globalThis', 'parseFloat',
  'Intl',
].map((name) => ({ name, message: 'src/core is pure and deterministic: time, I/O and randomness arrive in commands.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'runs/**', 'perpx-data/**', '.tmp/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['*.js', 'bin/**/*.js', 'web/**/*.js', 'examples/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...coreBannedGlobals],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Randomness arrives in commands.' },
        { object: 'Math', property: 'round', message: 'Rounding must be explicit integer math with a stated direction.' },
        { object: 'Math', property: 'floor', message: 'Use integer helpers in src/core/num.' },
        { object: 'Math', property: 'ceil', message: 'Use integer helpers in src/core/num.' },
        { object: 'Math', property: 'sqrt', message: 'No floating point in src/core.' },
        { object: 'Math', property: 'pow', message: 'No floating point in src/core.' },
        { object: 'Math', property: 'log', message: 'No floating point in src/core.' },
        { object: 'Number', property: 'parseFloat', message: 'No floating point in src/core.' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\.{1,2}/)', message: 'src/core imports nothing outside src/core.' }] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'FunctionDeclaration[async=true], FunctionExpression[async=true], ArrowFunctionExpression[async=true]', message: 'src/core is synchronous.' },
        { selector: 'AwaitExpression', message: 'src/core is synchronous.' },
        { selector: "Literal[raw=/^[0-9_]*\\.[0-9]|^[0-9_]+[eE]-/]", message: 'No floating-point literals in src/core.' },
        { selector: "CallExpression[callee.property.name='toFixed']", message: 'No floating point in src/core.' },
        { selector: 'ForInStatement', message: 'Iterate Maps or sorted arrays; object key order is not a contract.' },
      ],
    },
  },
);
