/**
 * The human monitor's command-line parsing (src/core/qmp/hmp.ts): what
 * QEMU 7.2, 10.0 and 11.1 printed for these lines on this project's
 * machine (monitor/hmp.c's handle_hmp_command()).
 */
import { describe, expect, it } from 'vitest';
import { runHmp, type HmpHost } from '../../src/core/qmp/hmp.ts';
import { RELEASES } from '../../src/core/releases.ts';

const release = RELEASES.find((r) => r.name === '7.2')!;
const host: HmpHost = { release, infoNetwork: () => 'n0: index=0,type=stream,listening\n' };
const run = (line: string) => runHmp(host, line);

describe('human monitor command lines', () => {
  it('runs info network and info version whatever white space surrounds the words', () => {
    expect(run('info network')).toBe('n0: index=0,type=stream,listening\n');
    expect(run('  info\tnetwork  ')).toBe('n0: index=0,type=stream,listening\n');
    expect(run('')).toBe('');
    expect(run('   ')).toBe('');
  });

  it('prints the version and the package string with nothing between them', () => {
    expect(run('info version')).toBe(`7.2.${release.build.micro}${release.build.package}\n`);
    expect(run('info version')).not.toContain('(');
  });

  it('quotes an unknown command from the start of the line, spaces as typed', () => {
    expect(run('  bogus  x')).toBe("unknown command: '  bogus'\n");
    expect(run('info   nosuch  x')).toBe("unknown command: 'info   nosuch'\n");
    expect(run('info networks')).toBe("unknown command: 'info networks'\n");
  });

  it('refuses trailing text after a command that takes none, and points to its help', () => {
    expect(run('info network extra')).toBe('network: extraneous characters at the end of line\nTry "help info network" for more information\n');
    expect(run('  info   network   x')).toBe(
      'network: extraneous characters at the end of line\nTry "help   info   network" for more information\n',
    );
    expect(run('info version x')).toBe('version: extraneous characters at the end of line\nTry "help info version" for more information\n');
  });

  it('ends a command name at a slash, which is then trailing text', () => {
    expect(run('info network/x')).toBe('network: extraneous characters at the end of line\nTry "help info network" for more information\n');
  });
});
