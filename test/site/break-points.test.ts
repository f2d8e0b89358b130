/** Where long identifiers and signatures may wrap (src/components/data/break-points.ts). */
import { describe, expect, it } from 'vitest';
import { identifierParts, signatureParts, withIdentifierBreaks } from '../../src/components/data/break-points.ts';

describe('identifier break points', () => {
  it('cut an identifier after each inner underscore and between CamelCase words, keeping every character', () => {
    expect(identifierParts('NETDEV_STREAM_DISCONNECTED')).toEqual(['NETDEV_', 'STREAM_', 'DISCONNECTED']);
    expect(identifierParts('netdev_add')).toEqual(['netdev_', 'add']);
    expect(identifierParts('quit')).toEqual(['quit']);
    expect(identifierParts('trailing_')).toEqual(['trailing_']);
    expect(identifierParts('InetSocketAddressBase')).toEqual(['Inet', 'Socket', 'Address', 'Base']);
    expect(identifierParts('QMPCapability')).toEqual(['QMPCapability']);
    expect(identifierParts('human-monitor-command')).toEqual(['human-monitor-command']);
    expect(withIdentifierBreaks('A_B')).toBe('A_\u200bB');
    expect(withIdentifierBreaks('A_B').replace(/\u200b/g, '')).toBe('A_B');
  });
});

describe('signature break points', () => {
  it('fall after the parenthesis, after each argument and before the return type', () => {
    expect(signatureParts('human-monitor-command(command-line: str, cpu-index?: int) -> str')).toEqual([
      'human-monitor-command(',
      'command-line: str, ',
      'cpu-index?: int)',
      ' -> str',
    ]);
    expect(signatureParts('quit()')).toEqual(['quit(', ')']);
    expect(signatureParts('struct InetSocketAddress: InetSocketAddressBase')).toEqual(['struct InetSocketAddress: InetSocketAddressBase']);
    for (const s of ['NETDEV_STREAM_CONNECTED(netdev-id: str, addr: SocketAddress)', 'query-commands() -> [CommandInfo]']) {
      expect(signatureParts(s).join('')).toBe(s);
    }
  });
});
