// ESLint for every TypeScript and JavaScript file (`npm run lint`; also run by
// test/static/checks.test.ts inside `npm test`). Astro components are checked
// by `astro check` instead.
//
// Three parts:
//   1. typescript-eslint's type-aware recommended rules, with the few changes
//      below, each with its reason;
//   2. the layers: what src/core, src/qapi and src/share may import;
//   3. determinism of those pure layers (no wall clock, no ambient randomness).
// Their DOM- and Node-freedom as types is tsconfig.pure.json's job.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers, written down. A pure layer runs unchanged in Node and in the
 * browser, so it may import only npm packages and the pure layers listed
 * here; it never imports the browser islands (src/ui), the site
 * (src/components, src/pages), the CLI (src/cli), the real-socket adapters
 * (src/node), tests or scripts. The arrows follow today's import graph:
 * share -> core -> qapi, never back (no cycles between layers).
 */
const PURE_LAYERS = {
  'src/qapi': ['src/qapi'],
  'src/core': ['src/core', 'src/qapi'],
  'src/share': ['src/share', 'src/core', 'src/qapi'],
};
const PURE_FILES = Object.keys(PURE_LAYERS).map((dir) => `${dir}/**/*.{ts,mts,js,mjs}`);

const WHY_PURE = 'src/core, src/qapi and src/share run in the browser and in Node alike (see eslint.config.js, "The layers")';
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

export default defineConfig(
  {
    ignores: ['dist/', 'dist-cli/', 'dist-exe/', 'build/', 'prebuilds/', 'node_modules/', '.astro/', 'public/', 'types/', 'src/**/*.generated.*', 'src/qapi/generated/'],
  },
  {
    linterOptions: {
      // A disable comment that no longer hides anything is itself reported.
      reportUnusedDisableDirectives: 'error',
      reportUnusedInlineConfigs: 'error',
    },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Type information from the TypeScript project that owns each file
        // (tsconfig.json); JavaScript files outside it use the default project.
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'bin/*.mjs', 'scripts/*.mjs'],
          // About a dozen plain JavaScript files (configs, build scripts, the launcher).
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 20,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // No unused code. Unused imports are unused variables; `_`-prefixed
      // parameters mark a position a callback signature requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Every promise is awaited, returned, or explicitly marked `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      // Off: an async function without `await` still returns a promise and
      // turns a throw into a rejection, which its callers rely on
      // (createScenarioEditor is awaited and may throw).
      '@typescript-eslint/require-await': 'off',
      // Off: its findings here were all String(x) of values narrowed from
      // unknown to {}, which it cannot tell from plain objects. String() is
      // a deliberate conversion; implicit ones in template literals stay
      // checked by restrict-template-expressions.
      '@typescript-eslint/no-base-to-string': 'off',
      // Off: a union with `unknown` (`unknown | 'closed' | 'timeout'`) names
      // the values a caller should check for; TypeScript reduces it to
      // unknown either way, so the rule flags documentation only.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // Closures declared before the value they use is assigned (`let x!: T`
      // then `x = ...`) cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Vitest's asymmetric matchers (expect.objectContaining, expect.any)
      // are typed `any` by design, and a test puts them in object literals.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Plain JavaScript (configs, the launcher, the bin stub) runs in Node.
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
    rules: {
      // Untyped JavaScript is `any` throughout (JSON.parse, process.env
      // lookups): these rules are for TypeScript, where `any` is a choice.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The layers (see PURE_LAYERS above).
    files: PURE_FILES,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] })],
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: `no Node built-ins here: ${WHY_PURE}.` })),
          patterns: [{ regex: '^node:', message: `no Node built-ins here: ${WHY_PURE}.` }],
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: Object.entries(PURE_LAYERS).map(([target, allowed]) => ({
            target: `./${target}`,
            from: './',
            except: [...allowed.map((dir) => `./${dir}`), './node_modules'],
            message: `${target} may import only npm packages and ${allowed.join(', ')}: ${WHY_PURE}.`,
          })),
        },
      ],
      // Deterministic: time is the simulated clock, randomness a seeded generator.
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'the pure layers use the simulated clock, not the wall clock.' },
        { object: 'Math', property: 'random', message: 'the pure layers use the seeded generator (src/core/util/random.ts).' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'the pure layers use the simulated clock, not the wall clock.',
        },
      ],
    },
  },
);
