import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['dist/**', 'coverage/**', 'storybook-static/**', 'node_modules/**', 'data/**', 'custom-elements.json', 'examples/**/dist/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'stories/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  {
    // The handler, its routes, the domain and the memory store run in a browser too
    // (element tests, Storybook): they may import nothing from node:.
    files: [
      'src/**/*.ts',
      'server/handler/**/*.ts',
      'server/domain/**/*.ts',
      'server/store/memory/**/*.ts',
      'server/store/types.ts',
      'server/store/shared/**/*.ts',
      'server/handler.ts',
      'server/seed/**/*.ts',
      'server/index.ts',
    ],
    // Their node tests (node:test, node:assert) run in node only.
    ignores: ['server/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'Browser-safe code: no node: imports.' }] }],
    },
  },
);
