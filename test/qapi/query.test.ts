import { describe, expect, it } from 'vitest';
import { commandArgType, effectiveMembers, enabledBranches, enabledEnumValues, evalIf, lookup, releaseCond, type IfCond } from '../../src/qapi/index.ts';
import { projectSchema } from './helpers.ts';

describe('release predicates', () => {
  it('treats QEMU_X_Y as "at least X.Y" and asks the build for other symbols', () => {
    const p = releaseCond('10.0', { CONFIG_LINUX: true });
    expect([p('QEMU_9_2'), p('QEMU_10_0'), p('QEMU_10_1'), p('QEMU_7_2')]).toEqual([true, true, false, true]);
    expect([p('CONFIG_LINUX'), p('CONFIG_VMNET')]).toEqual([true, false]);
    expect(releaseCond('11.1', (s) => s === 'X')('X')).toBe(true);
  });

  it('evaluates condition trees', () => {
    const cond: IfCond = { op: 'all', args: [{ op: 'name', name: 'QEMU_8_0' }, { op: 'not', arg: { op: 'name', name: 'QEMU_10_2' } }] };
    expect(['7.2', '8.0', '10.1', '10.2'].map((r) => evalIf(cond, releaseCond(r)))).toEqual([false, true, true, false]);
    expect(evalIf(undefined, () => false)).toBe(true);
  });
});

describe('schema questions', () => {
  const names = (ms: { name: string }[]) => ms.map((m) => m.name);

  it('lists a struct member set per release, base members first', () => {
    const schema = projectSchema();
    expect(names(effectiveMembers(schema, 'NetdevStreamOptions', releaseCond('7.2')))).toEqual(['addr', 'server']);
    expect(names(effectiveMembers(schema, 'NetdevStreamOptions', releaseCond('9.2')))).toEqual(['addr', 'server', 'reconnect', 'reconnect-ms']);
    expect(names(effectiveMembers(schema, 'InetSocketAddress', releaseCond('10.1', { HAVE_TCP_KEEPIDLE: true })))).toEqual([
      'host', 'port', 'numeric', 'to', 'ipv4', 'ipv6', 'keep-alive', 'keep-alive-idle',
    ]);
  });

  it("keeps QEMU's member order, conditional members in place", () => {
    const all = releaseCond('11.1', () => true);
    expect(names(effectiveMembers(projectSchema(), 'InetSocketAddress', all))).toEqual([
      'host', 'port', 'numeric', 'to', 'ipv4', 'ipv6', 'keep-alive', 'keep-alive-count', 'keep-alive-idle', 'keep-alive-interval', 'mptcp',
    ]);
  });

  it('lists a union branch with the common members first', () => {
    const schema = projectSchema();
    expect(names(effectiveMembers(schema, 'Netdev', releaseCond('11.1'), 'stream'))).toEqual(['id', 'type', 'addr', 'server', 'reconnect-ms']);
    expect(names(effectiveMembers(schema, 'Netdev', releaseCond('11.1'), 'user'))).toEqual(['id', 'type']);
    expect(names(enabledBranches(schema, 'SocketAddress', releaseCond('10.0')))).toEqual(['inet', 'unix', 'vsock', 'fd']);
  });

  it('filters enum values by condition', () => {
    const values = names(enabledEnumValues(projectSchema(), 'NetClientDriver', releaseCond('10.1', { CONFIG_PASST: true })));
    expect(values).toContain('passt');
    expect(values).not.toContain('af-xdp');
  });

  it('finds definitions and command argument types', () => {
    expect(lookup(projectSchema(), 'Netdev')?.meta).toBe('union');
    expect(commandArgType(projectSchema(), 'netdev_add')).toBe('Netdev');
    expect(commandArgType(projectSchema(), 'netdev_del')).toBe('q_obj_netdev_del-arg');
    expect(commandArgType(projectSchema(), 'quit')).toBeUndefined();
  });
});
