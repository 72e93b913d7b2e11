// ESLint flat config (https://eslint.org/docs/latest/use/configure/configuration-files):
// ESLint's and typescript-eslint's recommended rules on every TypeScript and JavaScript file
// of the repository. `npm run lint` runs it; .ci/run runs that before the tests.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // What synth, terraform, the cdktf CLI and the tests write, and generated code: not ours.
  { ignores: ['node_modules/', 'cdktf.out/', 'cdktf.out.*/', '.cdktf-cli*/', '.gen/', 'dist/', 'coverage/', '.terraform/', '.tfwork/', 'plans/'] },
  { files: ['**/*.{ts,js,mjs,cjs}'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // A disable comment that no longer silences anything is an error.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    // Every disable comment carries its reason after ` -- ` in the same comment
    // (https://eslint.org/docs/latest/use/configure/rules#comment-descriptions): the
    // developers' guide allows no disable without a why. ESLint itself has no such option.
    plugins: comments.recommended.plugins,
    rules: {
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      // `const { omitted: _omitted, ...rest } = value` is how a copy without some keys is made:
      // the named key is there to be left out, not forgotten.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // The few plain JavaScript files (commands/cdktf.js, synth/register.js, jest.config.js)
    // are CommonJS scripts Node runs as they are: `require` is how they import, and they see
    // Node's globals.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
