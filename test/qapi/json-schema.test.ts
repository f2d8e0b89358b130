import { describe, expect, it } from 'vitest';
import { qmpCommandJsonSchema, typeJsonSchema, type JsonSchema } from '../../src/qapi/json-schema.ts';
import { releaseCond, visitCommandArguments } from '../../src/qapi/index.ts';
import { projectSchema } from './helpers.ts';

/**
 * A small draft-07 checker, enough for the keywords the generator writes:
 * type, const, enum, properties, required, additionalProperties, items,
 * minimum, maximum, oneOf, anyOf, allOf, $ref into definitions.
 */
function validates(root: JsonSchema, value: unknown, node: JsonSchema = root): boolean {
  if (typeof node['$ref'] === 'string') {
    const name = node['$ref'].replace('#/definitions/', '');
    return validates(root, value, (root['definitions'] as Record<string, JsonSchema>)[name]);
  }
  const type = node['type'];
  if (type !== undefined) {
    const t = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    const ok =
      type === t ||
      (type === 'integer' && typeof value === 'number' && Number.isInteger(value)) ||
      (type === 'integer' && typeof value === 'bigint') ||
      (type === 'number' && typeof value === 'number');
    if (!ok) return false;
  }
  if ('const' in node && node['const'] !== value) return false;
  if (Array.isArray(node['enum']) && !node['enum'].includes(value)) return false;
  if (typeof node['minimum'] === 'number' && typeof value === 'number' && value < node['minimum']) return false;
  if (typeof node['maximum'] === 'number' && typeof value === 'number' && value > node['maximum']) return false;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const props = (node['properties'] ?? {}) as Record<string, JsonSchema>;
    const obj = value as Record<string, unknown>;
    for (const r of (node['required'] ?? []) as string[]) if (!(r in obj)) return false;
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) {
        if (!validates(root, v, props[k])) return false;
      } else if (node['additionalProperties'] === false) return false;
    }
  }
  if (Array.isArray(value) && node['items'] && !value.every((v) => validates(root, v, node['items'] as JsonSchema))) return false;
  if (Array.isArray(node['allOf']) && !node['allOf'].every((s: JsonSchema) => validates(root, value, s))) return false;
  if (Array.isArray(node['anyOf']) && !node['anyOf'].some((s: JsonSchema) => validates(root, value, s))) return false;
  if (Array.isArray(node['oneOf']) && node['oneOf'].filter((s: JsonSchema) => validates(root, value, s)).length !== 1) return false;
  return true;
}

const build = { CONFIG_LINUX: true };
const cond = (release: string) => releaseCond(release, build);
const streamMembers = (release: string) => {
  const s = typeJsonSchema(projectSchema(), 'NetdevStreamOptions', { cond: cond(release) });
  return (s['definitions'] as Record<string, JsonSchema>)['NetdevStreamOptions']!;
};

describe('JSON Schema for a type', () => {
  it('offers only the members of the chosen release', () => {
    expect(Object.keys(streamMembers('7.2')['properties'] as object)).toEqual(['addr', 'server']);
    expect(Object.keys(streamMembers('10.0')['properties'] as object)).toEqual(['addr', 'server', 'reconnect', 'reconnect-ms']);
    expect(Object.keys(streamMembers('11.1')['properties'] as object)).toEqual(['addr', 'server', 'reconnect-ms']);
  });

  it('marks required members, closes objects and flags deprecated members', () => {
    const s = streamMembers('10.0');
    expect(s['required']).toEqual(['addr']);
    expect(s['additionalProperties']).toBe(false);
    const props = s['properties'] as Record<string, JsonSchema>;
    expect(props['reconnect']).toMatchObject({ type: 'integer', deprecated: true });
    expect(props['reconnect-ms']).not.toHaveProperty('deprecated');
    expect(streamMembers('8.0')['properties']).toMatchObject({ reconnect: { type: 'integer' } });
    expect((streamMembers('8.0')['properties'] as Record<string, JsonSchema>)['reconnect']).not.toHaveProperty('deprecated');
  });

  it('carries the doc text as descriptions', () => {
    const s = streamMembers('10.0');
    expect(s['description']).toMatch(/^How a stream backend reaches its peer\./);
    expect((s['properties'] as Record<string, JsonSchema>)['server']!['description']).toBe('true to listen and accept, false to connect.  Absent means false.');
  });

  it('gives small integer types their ranges', () => {
    const s = typeJsonSchema(projectSchema(), 'InetSocketAddress', { cond: cond('10.0') });
    const props = (s['definitions'] as Record<string, JsonSchema>)['InetSocketAddress']!['properties'] as Record<string, JsonSchema>;
    expect(props['to']).toMatchObject({ type: 'integer', minimum: 0, maximum: 65535 });
    expect(validates(s, { host: 'h', port: '1', to: 65535 })).toBe(true);
    expect(validates(s, { host: 'h', port: '1', to: 65536 })).toBe(false);
  });

  it('picks a union branch by its discriminator', () => {
    const s = typeJsonSchema(projectSchema(), 'SocketAddress', { cond: cond('10.0') });
    expect(validates(s, { type: 'unix', path: '/p' })).toBe(true);
    expect(validates(s, { type: 'unix', host: 'h', port: '1' })).toBe(false);
    expect(validates(s, { type: 'inet', host: 'h', port: '1', ipv4: true })).toBe(true);
    expect(validates(s, { type: 'fd', str: '3' })).toBe(true);
    expect(validates(s, { type: 'tcp', host: 'h', port: '1' })).toBe(false);
  });

  it('lists enum values whose condition holds', () => {
    const values = (release: string, b: Record<string, boolean>) => {
      const s = typeJsonSchema(projectSchema(), 'NetClientDriver', { cond: releaseCond(release, b) });
      return (s['definitions'] as Record<string, JsonSchema>)['NetClientDriver']!['enum'] as string[];
    };
    expect(values('8.2', { CONFIG_AF_XDP: true })).toContain('af-xdp');
    expect(values('8.1', { CONFIG_AF_XDP: true })).not.toContain('af-xdp');
    expect(values('8.2', {})).not.toContain('af-xdp');
  });
});

describe('JSON Schema for a QMP command object', () => {
  it('has one alternative per command', () => {
    const s = qmpCommandJsonSchema(projectSchema(), { cond: cond('10.0') });
    const names = (s['oneOf'] as JsonSchema[]).map((a) => ((a['properties'] as Record<string, JsonSchema>)['execute'] as JsonSchema)['const']);
    expect(names).toEqual(['netdev_add', 'netdev_del', 'set_link', 'qmp_capabilities', 'query-version', 'query-commands', 'quit', 'human-monitor-command']);
  });

  it('accepts well-formed requests and refuses malformed ones', () => {
    const s = qmpCommandJsonSchema(projectSchema(), { cond: cond('10.0') });
    expect(validates(s, { execute: 'quit' })).toBe(true);
    expect(validates(s, { execute: 'quit', id: 7 })).toBe(true);
    expect(validates(s, { execute: 'quit', arguments: { now: true } })).toBe(false);
    expect(validates(s, { execute: 'netdev_del' })).toBe(false);
    expect(validates(s, { execute: 'netdev_del', arguments: { id: 'n0' } })).toBe(true);
    expect(validates(s, { execute: 'query-netdev' })).toBe(false);
    expect(validates(s, { execute: 'quit', extra: 1 })).toBe(false);
  });

  it('agrees with the input visitor on netdev_add arguments, release by release', () => {
    const cases: unknown[] = [
      { id: 'a', type: 'stream', addr: { type: 'unix', path: '/p' } },
      { id: 'a', type: 'stream', addr: { type: 'unix', path: '/p' }, reconnect: 1 },
      { id: 'a', type: 'stream', addr: { type: 'unix', path: '/p' }, 'reconnect-ms': 500, server: false },
      { id: 'a', type: 'stream', addr: { type: 'inet', host: 'h', port: 5 } },
      { id: 'a', type: 'stream', addr: { type: 'unix' } },
      { id: 'a', type: 'stream', addr: { type: 'unix', path: '/p' }, foo: 1 },
      { id: 'a', type: 'streamx', addr: { type: 'unix', path: '/p' } },
      { id: 'a', type: 'user' },
      { type: 'stream', addr: { type: 'unix', path: '/p' } },
    ];
    for (const release of ['7.2', '8.0', '9.2', '10.0', '11.1']) {
      const s = qmpCommandJsonSchema(projectSchema(), { cond: cond(release) });
      for (const args of cases) {
        const visited = visitCommandArguments(projectSchema(), 'netdev_add', args, { cond: cond(release) }).ok;
        expect({ release, args, valid: validates(s, { execute: 'netdev_add', arguments: args }) }).toEqual({ release, args, valid: visited });
      }
    }
  });
});
