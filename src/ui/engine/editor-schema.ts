/**
 * The editor's JSON Schema: the scenario format from its valibot schema,
 * netdevs as the QAPI schema's `Netdev`, and `qmp` steps as the QMP
 * commands the chosen release has, with snippets for every kind of step
 * that use the addresses the scenario already names.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import { findRelease, releaseHasSymbol } from '../../core/releases.ts';
import { schemas, STEP_KINDS, type StepKind } from '../../core/scenario/schema.ts';
import { JSON_SCHEMA_DIALECT, qmpCommandJsonSchema, typeJsonSchema, type JsonSchema } from '../../qapi/json-schema.ts';
import type { Schema } from '../../qapi/ir.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../core/net/sample-frame.ts';

const STEP_HELP: Record<StepKind, string> = {
  qmp: 'Send one QMP command; its reply lands in the transcript.',
  listen: 'An outside program (passt, socat, a test) listens on an address and accepts one connection at a time.',
  connect: 'An outside program connects to an address.',
  send: 'The peer writes one frame (hex), framed the way the stream netdev frames it: a 4-byte big-endian length, then the bytes.',
  'send-raw': 'The peer writes these bytes (hex) as they are, for partial or malformed framing.',
  close: 'The peer closes its connection and its listener.',
  wait: 'Let this many milliseconds of simulated time pass.',
};

function toJson(s: Parameters<typeof toJsonSchema>[0]): JsonSchema {
  const out = toJsonSchema(s, { errorMode: 'ignore' }) as JsonSchema;
  delete out.$schema;
  return out;
}

export function editorJsonSchema(schema: Schema, release: string, addresses: unknown[]): JsonSchema {
  const r = findRelease(release);
  const cond = (symbol: string) => (r ? releaseHasSymbol(r, symbol) : false);
  const qmp = qmpCommandJsonSchema(schema, { cond });
  const netdev = typeJsonSchema(schema, 'Netdev', { cond });
  const definitions = { ...(netdev.definitions as object), ...(qmp.definitions as object) };
  const { $schema: _a, definitions: _b, ...qmpRoot } = qmp;
  // Completion offers a command only while the object could still match it, so "arguments"
  // is not required here: every command is offered as soon as "execute" is typed. Missing
  // arguments are for the simulated QEMU to answer, as the real one would.
  qmpRoot.oneOf = (qmpRoot.oneOf as JsonSchema[]).map((alt) => ({ ...alt, required: ['execute'] }));
  const { $schema: _c, definitions: _d, ...netdevRoot } = netdev;
  const addrs = addresses.length > 0 ? addresses : [{ type: 'unix', path: '/tmp/sim/n0.sock' }];
  const snippets: Record<StepKind, { label: string; body: unknown }[]> = {
    qmp: [
      { label: 'QMP: info network', body: { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } } },
      { label: 'QMP: query-version', body: { qmp: { execute: 'query-version' } } },
    ],
    listen: addrs.map((a) => ({ label: `peer listens on ${JSON.stringify(a)}`, body: { peer: 'p', listen: a } })),
    connect: addrs.map((a) => ({ label: `peer connects to ${JSON.stringify(a)}`, body: { peer: 'a', connect: a } })),
    send: [{ label: 'peer sends an ARP request frame', body: { peer: 'a', send: SAMPLE_ARP_FRAME_HEX } }],
    'send-raw': [{ label: 'peer writes raw bytes', body: { peer: 'a', 'send-raw': '0000002a' } }],
    close: [{ label: 'peer closes', body: { peer: 'a', close: true } }],
    wait: [{ label: 'wait 200 ms', body: { wait: 200 } }],
  };
  const steps = STEP_KINDS.map((kind) => {
    const s = toJson(schemas.stepSchemas[kind]);
    const props = s.properties as Record<string, JsonSchema>;
    if (kind === 'qmp') props.qmp = qmpRoot;
    if (kind === 'send' || kind === 'send-raw') props[kind] = { type: 'string', pattern: '^([0-9a-fA-F]{2})*$', description: 'Hex digits, an even number of them.' };
    props.note = { type: 'string', description: "Optional: one sentence on why this step's outcome is what it is (predict mode shows it)." };
    return { ...s, description: STEP_HELP[kind] };
  });
  const root = toJson(schemas.ScenarioShape);
  const props = root.properties as Record<string, JsonSchema>;
  props.scenario = { const: 1, description: 'The scenario format version: always 1.' };
  props.title = { type: 'string', description: 'A short title.' };
  props.description = { type: 'string', description: 'Markdown shown beside the simulator.' };
  props.qemu = { ...props.qemu, description: 'The QEMU release whose behaviour is modelled.' };
  props.netdevs = { type: 'array', description: 'Backends that exist at start-up, as if given with -netdev.', items: netdevRoot };
  props.steps = {
    type: 'array',
    description: 'Run in order; each step has exactly one action.',
    items: { oneOf: steps, defaultSnippets: STEP_KINDS.flatMap((k) => snippets[k]) },
  };
  root.required = ['scenario', 'qemu', 'steps'];
  return { $schema: JSON_SCHEMA_DIALECT, ...root, definitions };
}
