import { describe, expect, it } from 'vitest';
import { buildDocsModel, conditionText, describePresence, describeReleaseSet, type DefinitionModel } from '../../src/qapi/docs-model.ts';
import type { IfCond } from '../../src/qapi/index.ts';
import { projectSchema, RELEASES } from './helpers.ts';

const RECONNECT_UINT32 = { key: 'NetdevStreamOptions.reconnect', type: 'uint32', releases: ['8.0', '8.1', '8.2', '9.0', '9.1'] };
const model = buildDocsModel(projectSchema(), { releases: RELEASES, typeOverrides: [RECONNECT_UINT32] });
const def = (name: string): DefinitionModel => {
  const d = model.definitions.find((x) => x.name === name);
  if (!d) throw new Error(`no ${name}`);
  return d;
};
const member = (d: string, m: string) => {
  const found = def(d).members.find((x) => x.name === m);
  if (!found) throw new Error(`no ${d}.${m}`);
  return found;
};
const name = (n: string): IfCond => ({ op: 'name', name: n });

describe('release ranges', () => {
  it('describes runs of releases in words', () => {
    expect(describeReleaseSet(RELEASES, RELEASES)).toBeNull();
    expect(describeReleaseSet(['9.2', '10.0', '10.1', '10.2', '11.0', '11.1'], RELEASES)).toBe('from 9.2');
    expect(describeReleaseSet(['7.2', '8.0'], RELEASES)).toBe('up to 8.0');
    expect(describeReleaseSet(['8.0', '8.1', '8.2', '9.0', '9.1', '9.2', '10.0', '10.1'], RELEASES)).toBe('8.0 to 10.1');
    expect(describeReleaseSet(['9.0'], RELEASES)).toBe('9.0 only');
    expect(describeReleaseSet(['7.2', '10.0'], RELEASES)).toBe('up to 7.2, 10.0 only');
    expect(describeReleaseSet([], RELEASES)).toBe('in no modelled release');
  });

  it('splits release symbols from build symbols', () => {
    const cond: IfCond = { op: 'all', args: [name('QEMU_10_1'), name('HAVE_TCP_KEEPCNT')] };
    expect(describePresence(cond, RELEASES)).toEqual({
      releases: ['10.1', '10.2', '11.0', '11.1'],
      releaseText: 'from 10.1',
      buildText: 'HAVE_TCP_KEEPCNT',
      conditionText: 'QEMU_10_1 and HAVE_TCP_KEEPCNT',
    });
    expect(describePresence(name('CONFIG_LINUX'), RELEASES)).toMatchObject({ releaseText: null, buildText: 'CONFIG_LINUX', releases: RELEASES });
    expect(describePresence(undefined, RELEASES)).toEqual({ releases: RELEASES, releaseText: null, buildText: null, conditionText: null });
  });

  it('writes conditions with parentheses where nesting needs them', () => {
    const cond: IfCond = { op: 'all', args: [name('QEMU_8_0'), { op: 'not', arg: name('QEMU_10_2') }, { op: 'any', args: [name('A'), name('B')] }] };
    expect(conditionText(cond)).toBe('QEMU_8_0 and not QEMU_10_2 and (A or B)');
  });
});

describe('reference page data', () => {
  it('has one entry per named definition, none for implicit types', () => {
    expect(model.definitions.map((d) => d.name)).toContain('NetdevStreamOptions');
    expect(model.definitions.some((d) => d.name.startsWith('q_obj_'))).toBe(false);
  });

  it('shows where reconnect and reconnect-ms exist, when reconnect is deprecated and its older type', () => {
    const reconnect = member('NetdevStreamOptions', 'reconnect');
    expect(reconnect.presence.releaseText).toBe('8.0 to 10.1');
    expect(reconnect.deprecated).toBe(true);
    expect(reconnect.notes).toEqual(['present in 8.0 to 10.1', 'deprecated from 9.2', 'type uint32 in 8.0 to 9.1']);
    expect(member('NetdevStreamOptions', 'reconnect-ms').notes).toEqual(['present from 9.2']);
    expect(member('NetdevStreamOptions', 'server').notes).toEqual([]);
  });

  it('links named types and leaves built-in types unlinked', () => {
    expect(member('NetdevStreamOptions', 'addr').type).toEqual({ text: 'SocketAddress', link: 'SocketAddress', array: false });
    expect(member('NetdevStreamOptions', 'server').type).toEqual({ text: 'bool', link: null, array: false });
    expect(member('qmp_capabilities', 'enable')).toMatchObject({ optional: true, type: { text: '[QMPCapability]', link: 'QMPCapability', array: true } });
  });

  it('writes signatures for commands and events', () => {
    expect(def('netdev_add').signature).toBe('netdev_add(Netdev)');
    expect(def('netdev_add').data).toEqual({ text: 'Netdev', link: 'Netdev', array: false });
    expect(def('netdev_add').flags).toEqual(['boxed', 'allow-preconfig']);
    expect(def('human-monitor-command').signature).toBe('human-monitor-command(command-line: str, cpu-index?: int) -> str');
    expect(def('query-commands').signature).toBe('query-commands() -> [CommandInfo]');
    expect(def('NETDEV_STREAM_CONNECTED').signature).toBe('NETDEV_STREAM_CONNECTED(netdev-id: str, addr: SocketAddress)');
  });

  it('describes unions by their common members and branches', () => {
    const netdev = def('Netdev');
    expect(netdev.members.map((m) => m.name)).toEqual(['id', 'type']);
    expect(netdev.discriminator).toBe('type');
    expect(netdev.branches).toEqual([
      { name: 'stream', type: { text: 'NetdevStreamOptions', link: 'NetdevStreamOptions', array: false }, presence: expect.objectContaining({ releaseText: null }) },
    ]);
  });

  it('gives enum values their release and build notes', () => {
    const values = def('NetClientDriver').values;
    expect(values.find((v) => v.name === 'af-xdp')!.notes).toEqual(['present from 8.2', 'only in builds where CONFIG_AF_XDP holds']);
    expect(values.find((v) => v.name === 'stream')!.notes).toEqual([]);
  });

  it('keeps since, returns and other sections from the doc block', () => {
    expect(def('NETDEV_STREAM_CONNECTED').since).toBe('7.2');
    expect(def('query-version').returns).toEqual({ type: { text: 'VersionInfo', link: 'VersionInfo', array: false }, description: 'the version.' });
    expect(def('netdev_del').sections.map((s) => s.tag)).toEqual(['Errors']);
    expect(def('NetdevStreamOptions').features).toEqual([
      { name: 'deprecated', description: '@reconnect is deprecated from 9.2 in favour of\n@reconnect-ms.', presence: expect.objectContaining({ releaseText: 'from 9.2' }) },
    ]);
  });

  it('lists which definitions use a type', () => {
    expect(def('SocketAddress').usedBy).toEqual(['NetdevStreamOptions', 'NETDEV_STREAM_CONNECTED']);
    expect(def('Netdev').usedBy).toEqual(['netdev_add']);
    expect(def('NetdevStreamOptions').usedBy).toEqual(['Netdev']);
  });

  it('keeps free-form headings with the definition they come before', () => {
    expect(model.sections).toContainEqual({ text: '== Network backends', before: 'NetClientDriver' });
  });
});
