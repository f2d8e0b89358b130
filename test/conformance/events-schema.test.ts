/**
 * Every event the engine emits in the recorded scenarios, and the replies
 * it gives, have the shape our QAPI schema declares for them.
 */
import { describe, expect, it } from 'vitest';
import { lookup } from '../../src/qapi/query.ts';
import { visitInput } from '../../src/qapi/input-visitor.ts';
import { QAPI_SCHEMA, schemaChecker, visitOptionsFor } from '../../src/core/qmp/schema-checker.ts';
import { findRelease } from '../../src/core/releases.ts';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { runScenario } from '../../src/core/scenario/session.ts';
import { conformanceCases } from '../support/conformance.ts';

describe('events the engine emits match their schema', () => {
  let checked = 0;
  for (const c of conformanceCases()) {
    it(`in ${c.name} on QEMU ${c.release}`, () => {
      const s = checkScenario(c.scenario);
      if (!s.ok) throw new Error('invalid scenario');
      const session = runScenario(s.scenario, { checker: schemaChecker });
      const opts = visitOptionsFor(findRelease(c.release)!);
      for (const ev of session.engine.events) {
        if (!ev.event.startsWith('NETDEV_STREAM_')) continue;
        const def = lookup(QAPI_SCHEMA, ev.event);
        expect(def?.meta, `${ev.event} is an event of the schema`).toBe('event');
        if (def?.meta !== 'event' || !def.dataType) throw new Error(`${ev.event} has no data type`);
        const r = visitInput(QAPI_SCHEMA, def.dataType, ev.data, opts);
        expect(r.ok ? null : r.error, JSON.stringify(ev.data)).toBeNull();
        checked++;
      }
    });
  }
  it('checked events from the recordings', () => {
    expect(checked).toBeGreaterThan(100);
  });
});
