/**
 * npm run bench: engine throughput against raw XState measured in the same
 * run, seek latency, and the cost of a simulated hour of reconnects.
 * Figures vary with the machine's load; compare the ratio, not absolutes.
 */
import { createActor, setup } from 'xstate';
import { schemaChecker } from '../src/core/qmp/schema-checker.ts';
import { checkScenario, type Scenario } from '../src/core/scenario/schema.ts';
import { Session } from '../src/core/scenario/session.ts';
import { SeededRandom } from '../src/core/util/random.ts';
import { busyScenario, lonelyClient } from './generate.ts';

const now = () => performance.now();

function valid(s: Scenario): Scenario {
  const c = checkScenario(s);
  if (!c.ok) throw new Error(JSON.stringify(c.issues.slice(0, 3)));
  return c.scenario;
}

function rawXstateEventsPerSecond(events: number): number {
  const m = setup({}).createMachine({ initial: 'a', states: { a: { on: { t: 'b' } }, b: { on: { t: 'a' } } } });
  const actor = createActor(m).start();
  for (let i = 0; i < 20_000; i++) actor.send({ type: 't' }); // warm-up
  const t0 = now();
  for (let i = 0; i < events; i++) actor.send({ type: 't' });
  return events / ((now() - t0) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

// 1. Throughput: 100 netdevs, 100,000 steps.
const big = valid(busyScenario(100, 100_000));
{
  const warm = new Session(valid(busyScenario(100, 5_000, 7)), { checker: schemaChecker });
  warm.runToEnd();
}
const raw1 = rawXstateEventsPerSecond(300_000);
const t0 = now();
const session = new Session(big, { checker: schemaChecker });
session.runToEnd();
const stepSeconds = (now() - t0) / 1000;
const raw2 = rawXstateEventsPerSecond(300_000);
const raw = (raw1 + raw2) / 2;
const stepsPerSecond = big.steps.length / stepSeconds;
const events = session.engine.events.length;
console.log(`simulated steps/s (100 netdevs, 100,000 steps): ${fmt(stepsPerSecond)}  (${fmt(stepSeconds, 2)} s, ${fmt(events)} QMP events, ${fmt(session.engine.transcript.length)} transcript lines)`);
console.log(`raw XState events/s (two-state machine, same run): ${fmt(raw)}  (before ${fmt(raw1)}, after ${fmt(raw2)})`);
console.log(`ratio steps/s : raw events/s: ${fmt(stepsPerSecond / raw, 2)}   (targets: >= 100,000 steps/s, ratio >= 0.3)`);

// 2. Seek: median time to rebuild the state at a random step of a 10,000-step scenario.
const mid = valid(busyScenario(100, 10_000, 3));
const seekSession = new Session(mid, { checker: schemaChecker, checkpointEvery: 100 });
seekSession.runToEnd();
const rng = new SeededRandom(42);
const seekTimes: number[] = [];
for (let i = 0; i < 200; i++) {
  const k = rng.int(mid.steps.length + 1);
  const s0 = now();
  seekSession.seek(k);
  seekTimes.push(now() - s0);
}
console.log(`median seek to a random step of 10,000 (100 netdevs, checkpoint every 100 steps): ${fmt(median(seekTimes), 2)} ms  (p90 ${fmt([...seekTimes].sort((a, b) => a - b)[Math.floor(seekTimes.length * 0.9)]!, 2)} ms; target <= 16 ms)`);

// 3. One simulated hour of reconnect-ms=100 with the peer gone.
const hour = valid(lonelyClient(100, 1));
const h0 = now();
const hourSession = new Session(hour, { checker: schemaChecker });
hourSession.runToEnd();
const hourSeconds = (now() - h0) / 1000;
const info = hourSession.engine.transcript.at(-1);
console.log(`wall time for one simulated hour of reconnect-ms=100, peer never back: ${fmt(hourSeconds, 3)} s  (target <= 1 s; last reply ${JSON.stringify('msg' in info! ? info.msg : info)})`);
