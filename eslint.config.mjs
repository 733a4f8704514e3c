import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const testFiles = ['**/*.spec.ts', '**/*.spec.tsx', '**/test/**/*.ts', '**/test-support/**/*.ts', '**/bench/**/*.ts', '**/e2e/**/*.ts'];

/** Module boundaries by tag; test code may also use the test kit. */
function boundaries(testCode) {
  const libs = testCode ? ['type:lib', 'type:testkit'] : ['type:lib'];
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        // Apps are deployables: they import libs, never each other.
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: libs },
        { sourceTag: 'type:lib', onlyDependOnLibsWithTags: libs },
        { sourceTag: 'type:testkit', onlyDependOnLibsWithTags: ['type:lib'] },
        // The dashboard never pulls server code into the browser bundle.
        { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'] },
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
      ],
    },
  ];
}

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '**/*.mjs', '**/*.cjs', 'apps/web/src/api/schema.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: testFiles,
    rules: { '@nx/enforce-module-boundaries': boundaries(true), 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
];
