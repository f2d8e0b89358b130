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
      expect(
        r.status,
        `${check.name} failed (exit ${r.status}). Run \`${check.script}\` to see it again; ` +
          `the rules and the reasons for them are in eslint.config.js and tsconfig.pure.json.\n\n${r.output}`,
      ).toBe(0);
    }, 300_000);
  }
});
