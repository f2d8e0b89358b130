/**
 * The monitor's own list of commands (what query-commands answers and what
 * it dispatches) and our QAPI schema name the same commands for every
 * modelled release, so the two cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { MODELLED_COMMANDS } from '../../src/core/qmp/monitor.ts';
import { QAPI_SCHEMA } from '../../src/core/qmp/schema-checker.ts';
import { RELEASES, releaseHasSymbol } from '../../src/core/releases.ts';
import { enabledCommands } from '../../src/qapi/query.ts';

describe('the commands the simulated QEMU has', () => {
  for (const release of RELEASES) {
    it(`are exactly the commands of our QAPI schema on QEMU ${release.name}`, () => {
      const schema = enabledCommands(QAPI_SCHEMA, (symbol) => releaseHasSymbol(release, symbol)).map((d) => d.name);
      expect([...MODELLED_COMMANDS].sort()).toEqual([...schema].sort());
    });
  }
});
