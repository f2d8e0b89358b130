/**
 * The type checks and the linter run inside `npm test`, so CI cannot skip
 * them: each must exit 0 with no error and no warning.
 */
import { describe, expect, it } from 'vitest';
import { runNode, STATIC_CHECKS } from '../support/static-checks.ts';

describe('the static checks pass', () => {
  for (const check of STATIC_CHECKS) {
    it(`${check.name} reports nothing`, async () => {
      const r = await runNode(check.argv);
      const missing = /Cannot find module|ERR_MODULE_NOT_FOUND/.test(r.output)
        ? 'A tool or plugin is not installed: run `npm install` (package.json lists it).\n'
        : '';
      expect(
        r.status,
        `${missing}${check.name} failed (exit ${r.status}). Run \`${check.script}\` to see it again; ` +
          `the rules and the reasons for them are in eslint.config.js and tsconfig.pure.json.\n\n${r.output}`,
      ).toBe(0);
    }, 300_000);
  }
});
