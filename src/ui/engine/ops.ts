/**
 * What the engine worker does for the page: run scenarios into traces,
 * check them, read and write share links, and answer the console's and the
 * editor's questions about the QAPI schema. Pure functions of their input;
 * `serve` wires them to a worker's messages.
 */
import { QAPI_SCHEMA, schemaChecker } from '../../core/qmp/schema-checker.ts';
import { findRelease, releaseHasSymbol } from '../../core/releases.ts';
import { checkScenario } from '../../core/scenario/schema.ts';
import { encodeLink, LinkEncodeError, readShareHash } from '../../share/link.ts';
import { commandArgType, effectiveMembers, enabledCommands, lookup } from '../../qapi/query.ts';
import { plainDescription } from '../../qapi/json-schema.ts';
import { buildTrace } from '../trace/build.ts';
import { editorJsonSchema } from './editor-schema.ts';
import type { CommandInfo, EngineOps, Request, Response, RunResult } from './protocol.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const ops: EngineOps = {
  run(value, release): RunResult {
    const checked = checkScenario(value);
    if (!checked.ok) return { kind: 'invalid', issues: checked.issues };
    const name = release ?? checked.scenario.qemu;
    if (!findRelease(name)) return { kind: 'failed', message: `QEMU ${name} is not a modelled release.` };
    try {
      const trace = buildTrace(checked.scenario, { checker: schemaChecker, release: name });
      if (trace.limitation) return { kind: 'limitation', ...trace.limitation };
      return { kind: 'ok', scenario: checked.scenario, trace };
    } catch (e) {
      return { kind: 'failed', message: `The simulator failed on this scenario: ${message(e)}` };
    }
  },

  check(value) {
    const checked = checkScenario(value);
    return checked.ok ? [] : checked.issues;
  },

  async encode(scenario, release, step) {
    try {
      return { ok: true, fragment: await encodeLink(scenario, { release, step }) };
    } catch (e) {
      return { ok: false, message: e instanceof LinkEncodeError ? e.message : `No link could be made: ${message(e)}` };
    }
  },

  decode(hash) {
    return readShareHash(hash);
  },

  commands(release) {
    const r = findRelease(release);
    if (!r) return [];
    const s = QAPI_SCHEMA;
    const cond = (symbol: string) => releaseHasSymbol(r, symbol);
    return enabledCommands(s, cond).map((def): CommandInfo => {
      const argType = commandArgType(s, def.name);
      const argDef = argType ? lookup(s, argType) : undefined;
      // netdev_add takes the Netdev union; the console offers its stream branch.
      const members = argType ? effectiveMembers(s, argType, cond, argDef?.meta === 'union' ? 'stream' : undefined) : [];
      return {
        name: def.name,
        summary: def.doc ? plainDescription(def.doc.summary) : '',
        args: members.map((m) => ({ name: m.name, type: m.type.array ? `[${m.type.name}]` : m.type.name, optional: m.optional })),
      };
    });
  },

  editorSchema(release, addresses) {
    return editorJsonSchema(QAPI_SCHEMA, release, addresses);
  },
};

interface Port {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: Response): void;
}

/** Answers requests arriving on a worker's port, one response per request. */
export function serve(port: Port): void {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the handler catches every error and answers it
  port.onmessage = async (e) => {
    const { id, op, args } = e.data;
    try {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the operations do not use `this`
      const fn = ops[op] as (...a: unknown[]) => unknown;
      if (typeof fn !== 'function') throw new Error(`unknown operation ${String(op)}`);
      port.postMessage({ id, ok: true, value: await fn(...args) });
    } catch (err) {
      port.postMessage({ id, ok: false, error: message(err) });
    }
  };
}
