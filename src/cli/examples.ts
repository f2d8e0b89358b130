/**
 * `netdev-sim examples`: the guided scenarios of the site's simulator
 * (content/scenarios), bundled into the command, so whoever installed the
 * package (or the single executable) has scenarios to start from. Loaded
 * only by that command.
 */
import abstract_unix_socket from '../../content/scenarios/abstract-unix-socket.json' with { type: 'json' };
import client_with_nothing_listening from '../../content/scenarios/client-with-nothing-listening.json' with { type: 'json' };
import duplicate_id from '../../content/scenarios/duplicate-id.json' with { type: 'json' };
import events_before_negotiation from '../../content/scenarios/events-before-negotiation.json' with { type: 'json' };
import ipv6_server from '../../content/scenarios/ipv6-server.json' with { type: 'json' };
import libvirt_restarts_passt from '../../content/scenarios/libvirt-restarts-passt.json' with { type: 'json' };
import netdev_del_while_connected from '../../content/scenarios/netdev-del-while-connected.json' with { type: 'json' };
import oversized_frame from '../../content/scenarios/oversized-frame.json' with { type: 'json' };
import partial_frame from '../../content/scenarios/partial-frame.json' with { type: 'json' };
import reconnect_across_releases from '../../content/scenarios/reconnect-across-releases.json' with { type: 'json' };
import second_client_waits_in_backlog from '../../content/scenarios/second-client-waits-in-backlog.json' with { type: 'json' };
import server_accepts_then_hangs_up from '../../content/scenarios/server-accepts-then-hangs-up.json' with { type: 'json' };
import set_link_changes_nothing from '../../content/scenarios/set-link-changes-nothing.json' with { type: 'json' };
import zero_length_frame_wedge from '../../content/scenarios/zero-length-frame-wedge.json' with { type: 'json' };
import { CliError, EXIT_OK, type Io } from './main.ts';

/** Name (the file's, as on the site: /simulator/NAME/) to scenario. */
export const EXAMPLES: ReadonlyMap<string, { title?: string }> = new Map(
  Object.entries({
    'abstract-unix-socket': abstract_unix_socket,
    'client-with-nothing-listening': client_with_nothing_listening,
    'duplicate-id': duplicate_id,
    'events-before-negotiation': events_before_negotiation,
    'ipv6-server': ipv6_server,
    'libvirt-restarts-passt': libvirt_restarts_passt,
    'netdev-del-while-connected': netdev_del_while_connected,
    'oversized-frame': oversized_frame,
    'partial-frame': partial_frame,
    'reconnect-across-releases': reconnect_across_releases,
    'second-client-waits-in-backlog': second_client_waits_in_backlog,
    'server-accepts-then-hangs-up': server_accepts_then_hangs_up,
    'set-link-changes-nothing': set_link_changes_nothing,
    'zero-length-frame-wedge': zero_length_frame_wedge,
  }),
);

export function examplesCommand(args: string[], io: Io): number {
  if (args.length > 1) throw new CliError('examples takes at most one name');
  const [name] = args;
  if (name === undefined) {
    const width = Math.max(...[...EXAMPLES.keys()].map((n) => n.length));
    for (const [n, s] of EXAMPLES) io.out(`${n.padEnd(width)}  ${s.title ?? ''}\n`);
    io.out(`\nnetdev-sim examples NAME > NAME.json writes one; netdev-sim run NAME.json runs it.\n`);
    return EXIT_OK;
  }
  const scenario = EXAMPLES.get(name.replace(/\.json$/, ''));
  if (!scenario) throw new CliError(`no example named ${JSON.stringify(name)}; netdev-sim examples lists them`);
  io.out(`${JSON.stringify(scenario, null, 2)}\n`);
  return EXIT_OK;
}
