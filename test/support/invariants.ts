/** Properties every simulated run must have, whatever the scenario. */
import type { Session } from '../../src/core/scenario/session.ts';

export function invariantViolations(session: Session): string[] {
  const problems: string[] = [];
  const e = session.engine;
  const netdevs = e.netdevList();
  // A scenario the simulator declines (say, a netdev type it does not model) has no run.
  if (session.limitation) return e.transcript.length === 0 ? [] : ['a declined scenario produced a transcript'];
  // CONNECTED and DISCONNECTED alternate per netdev, starting with CONNECTED.
  const last = new Map<number, string>();
  e.events.forEach((ev, i) => {
    if (ev.handle === undefined) return;
    const rec = netdevs[ev.handle]!;
    if (rec.deletedAtEvent !== null && i >= rec.deletedAtEvent) {
      problems.push(`event ${i}: ${ev.event} for netdev ${rec.id} after it was deleted`);
    }
    const prev = last.get(ev.handle);
    if (ev.event === 'NETDEV_STREAM_CONNECTED' && prev === 'NETDEV_STREAM_CONNECTED') {
      problems.push(`event ${i}: two CONNECTED in a row for ${rec.id}`);
    }
    if (ev.event === 'NETDEV_STREAM_DISCONNECTED' && prev !== 'NETDEV_STREAM_CONNECTED') {
      problems.push(`event ${i}: DISCONNECTED without CONNECTED for ${rec.id}`);
    }
    last.set(ev.handle, ev.event);
  });
  // Time never goes back, in the engine or in the transcript's timestamps.
  let t = -Infinity;
  let stamp = -Infinity;
  e.transcript.forEach((e, i) => {
    if (e.t < t) problems.push(`transcript line ${i + 1}: time goes back`);
    t = e.t;
    if ('msg' in e && e.msg && typeof e.msg === 'object' && 'timestamp' in e.msg) {
      const ts = (e.msg as { timestamp: { seconds: number; microseconds: number } }).timestamp;
      const micros = ts.seconds * 1e6 + ts.microseconds;
      if (micros < stamp) problems.push(`transcript line ${i + 1}: timestamp goes back`);
      if (ts.microseconds < 0 || ts.microseconds >= 1e6 || !Number.isInteger(ts.microseconds)) {
        problems.push(`transcript line ${i + 1}: bad microseconds ${ts.microseconds}`);
      }
      stamp = micros;
    }
  });
  // A transcript opens with the greeting and the negotiation, or is one exit line.
  const first = e.transcript[0];
  if (!first) problems.push('empty transcript');
  else if ('exit' in first) {
    if (e.transcript.length !== 1) problems.push('a start-up failure must be the only line');
  } else {
    const greeting = first.msg as Record<string, unknown>;
    if (!('QMP' in greeting)) problems.push('transcript does not open with the greeting');
    const req = e.transcript[1];
    if (!req || !('msg' in req) || (req.msg as { execute?: string }).execute !== 'qmp_capabilities') {
      problems.push('the second line is not qmp_capabilities');
    }
  }
  // Every request gets exactly one reply, before the next request.
  let waiting = false;
  e.transcript.forEach((e, i) => {
    if (!('dir' in e)) return;
    const m = e.msg as Record<string, unknown> | null;
    if (e.dir === '->') {
      if (waiting) problems.push(`transcript line ${i + 1}: request before the previous reply`);
      waiting = true;
    } else if (m && typeof m === 'object' && ('return' in m || 'error' in m)) {
      if (!waiting) problems.push(`transcript line ${i + 1}: reply without a request`);
      waiting = false;
    }
  });
  return problems;
}
