/**
 * Links stay short enough to paste into chat and issue trackers: a
 * realistic 40-step scenario fits in 2,000 characters, site address included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { runScenario } from '../../src/core/scenario/session.ts';
import { decodeLink, encodeLink } from '../../src/share/link.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';
import { realisticScenario } from './realistic-scenario.ts';

const SITE = 'https://netdev-stream-lab.example/simulator/';

describe('link length', () => {
  it('the 40-step scenario is realistic: valid, and the simulator runs it with connects, frames and hang-ups', () => {
    const s = realisticScenario(40);
    expect(s.steps).toHaveLength(40);
    expect(checkScenario(s).ok).toBe(true);
    const kinds = new Set(s.steps.map((step) => Object.keys(step).find((k) => k !== 'peer')));
    expect([...kinds].sort()).toEqual(['close', 'connect', 'listen', 'qmp', 'send', 'wait']);
    expect(s.steps.filter((step) => 'send' in step && step.send === SAMPLE_ARP_FRAME_HEX).length).toBeGreaterThanOrEqual(6);
    const session = runScenario(s, { checker: schemaChecker });
    expect(session.limitation).toBeNull();
    const events = session.engine.transcript.map((e) => JSON.stringify(e));
    expect(events.filter((l) => l.includes('NETDEV_STREAM_CONNECTED')).length).toBeGreaterThanOrEqual(4);
    expect(events.filter((l) => l.includes('NETDEV_STREAM_DISCONNECTED')).length).toBeGreaterThanOrEqual(4);
  });

  it('links the realistic 40-step scenario in at most 2,000 characters, at any step and release', async () => {
    const s = realisticScenario(40);
    for (const [step, release] of [[0, undefined], [17, '9.2'], [40, '11.1']] as const) {
      const link = await encodeLink(s, { step, base: SITE, ...(release ? { release } : {}) });
      expect(link.length).toBeLessThanOrEqual(2000);
      expect(await decodeLink(link)).toMatchObject({ ok: true, step });
    }
  });

  it('links every conformance scenario in at most 2,000 characters', async () => {
    const dir = new URL('../../content/conformance/scenarios/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(40);
    for (const f of files) {
      const checked = checkScenario(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
      if (!checked.ok) throw new Error(`${f} is not a valid scenario`);
      const link = await encodeLink(checked.scenario, { step: checked.scenario.steps.length, base: SITE });
      expect(link.length, f).toBeLessThanOrEqual(2000);
    }
  });
});
