/**
 * One plain sentence per scenario step, for the step list, the timeline and
 * the sequence diagram. Input may come from a link or the editor, so every
 * field is read defensively; the result is text, never markup.
 */

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** `unix:/tmp/sim/n0.sock`, `tcp:127.0.0.1:5555`, `fd:3`: the way `info network` writes addresses. */
export function addressText(addr: unknown): string {
  if (!isObject(addr)) return String(addr);
  switch (addr.type) {
    case 'unix':
      return `unix:${addr.abstract === true ? '@' : ''}${String(addr.path)}${addr.abstract === true ? ' (abstract)' : ''}`;
    case 'inet':
      return `tcp:${String(addr.host)}:${String(addr.port)}`;
    case 'fd':
      return `fd:${String(addr.str)}`;
    default:
      return JSON.stringify(addr);
  }
}

/** The action a step names (its kind), or "invalid". */
export function stepKindOf(step: unknown): string {
  if (!isObject(step)) return 'invalid';
  for (const k of ['qmp', 'listen', 'connect', 'send', 'send-raw', 'close', 'wait']) if (k in step) return k;
  return 'invalid';
}

/** The QMP command a `qmp` step sends, as a short text. */
export function commandText(qmp: unknown): string {
  if (!isObject(qmp)) return 'a message that is not a JSON object';
  const exec = qmp.execute ?? qmp['exec-oob'];
  if (typeof exec !== 'string') return 'a message without "execute"';
  const args = qmp.arguments;
  if (exec === 'human-monitor-command' && isObject(args) && typeof args['command-line'] === 'string') {
    return `human-monitor-command "${args['command-line']}"`;
  }
  if (isObject(args) && typeof args.id === 'string') return `${exec} ${args.id}`;
  return exec;
}

export function describeStep(step: unknown): string {
  const kind = stepKindOf(step);
  const s = isObject(step) ? step : {};
  const peer = `peer ${String(s.peer)}`;
  switch (kind) {
    case 'qmp':
      return `QMP client sends ${commandText(s.qmp)}`;
    case 'listen':
      return `${peer} listens on ${addressText(s.listen)}`;
    case 'connect':
      return `${peer} connects to ${addressText(s.connect)}`;
    case 'send': {
      const n = typeof s.send === 'string' ? s.send.length / 2 : 0;
      return `${peer} sends a ${n}-byte frame`;
    }
    case 'send-raw': {
      const n = typeof s['send-raw'] === 'string' ? s['send-raw'].length / 2 : 0;
      return `${peer} writes ${n} raw byte${n === 1 ? '' : 's'}`;
    }
    case 'close':
      return `${peer} closes its connection and listener`;
    case 'wait':
      return `${String(s.wait)} ms pass`;
    default:
      return 'a step the simulator does not know';
  }
}
