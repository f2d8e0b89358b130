/**
 * The QMP monitor: greeting, capabilities negotiation, request checks and
 * dispatch (monitor/qmp.c, qapi/qmp-dispatch.c), and the commands this
 * simulator models. Replies keep QEMU's member order.
 */
import { visitedStreamOptions, type StreamOptions } from '../netdev/stream-logic.ts';
import type { Release } from '../releases.ts';
import type { ArgumentChecker } from './arguments.ts';
import { isRecord } from '../util/record.ts';
import { runHmp } from './hmp.ts';
import { inQemuOrder, qdictKeyOrder } from './qdict.ts';
import { announceShutdown } from './shutdown.ts';
import type { QmpError, QmpErrorClass } from './types.ts';

/** What the monitor needs of the QEMU process it belongs to. */
export interface MonitorHost {
  readonly release: Release;
  readonly checker: ArgumentChecker;
  /** QEMU has exited: nothing reaches a client any more. */
  readonly exited: boolean;
  /** Whether a live netdev has this id. */
  hasNetdev(id: string): boolean;
  /** net_init_stream()'s checks of options the QAPI visitor accepted. */
  optionError(options: StreamOptions): string | null;
  createNetdev(id: string, options: StreamOptions, fromCommandLine: boolean): void;
  /** False when no live netdev has this id. */
  deleteNetdev(id: string): boolean;
  /** False when no live netdev has this id. */
  setLink(id: string, up: boolean): boolean;
  /** Every live netdev's id and its `info network` text, in creation order. */
  netdevInfo(): { id: string; info: string }[];
  /** A QMP event leaves QEMU (SHUTDOWN, when quit asks for it). */
  emitQmpEvent(event: string, data: Record<string, unknown>): void;
}

export interface MonitorState {
  /** A QMP client is connected and got the greeting. */
  connected: boolean;
  /** qmp_capabilities succeeded: commands run and events are delivered. */
  negotiated: boolean;
  /** The client enabled out-of-band execution. */
  oob: boolean;
  /** `quit` succeeded: QEMU exits once its reply is out. */
  quitRequested?: boolean;
}

/** Commands the simulated QEMU has, in the order query-commands lists them. */
export const MODELLED_COMMANDS = [
  'qmp_capabilities',
  'query-version',
  'query-commands',
  'quit',
  'netdev_add',
  'netdev_del',
  'set_link',
  'human-monitor-command',
] as const;

const MODELLED: ReadonlySet<string> = new Set(MODELLED_COMMANDS);

type Reply = { return: unknown } | { error: QmpError };

const genericError = (desc: string): Reply => ({ error: { class: 'GenericError', desc } });
const classError = (cls: QmpErrorClass, desc: string): Reply => ({ error: { class: cls, desc } });

/** util/id.c: a letter, then letters, digits, '-', '.' or '_'. */
export function idWellFormed(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9\-._]*$/.test(id);
}

export class Monitor {
  private s: MonitorState = { negotiated: false, oob: false, connected: false };

  constructor(private readonly engine: MonitorHost) {}

  receivesEvents(): boolean {
    return this.s.connected && this.s.negotiated && !this.engine.exited;
  }

  /** A copy of the monitor's state, for a checkpoint. */
  save(): MonitorState {
    return { ...this.s };
  }

  load(saved: MonitorState): void {
    this.s = { ...saved };
  }

  /** A `quit` succeeded: the caller sends its reply, then QEMU exits (SHUTDOWN_EXIT_STATUS). */
  get quitRequested(): boolean {
    return this.s.quitRequested === true;
  }

  /** The QMP client went away: the next one starts a fresh negotiation. */
  disconnect(): void {
    this.s.connected = false;
    this.s.negotiated = false;
    this.s.oob = false;
  }

  /** The greeting QEMU sends when a QMP client connects. */
  greeting(): unknown {
    const r = this.engine.release;
    this.s.connected = true;
    return inQemuOrder({
      QMP: {
        version: { qemu: { major: r.major, minor: r.minor, micro: r.build.micro }, package: r.build.package },
        capabilities: ['oob'],
      },
    });
  }

  /**
   * Handles one request as it arrived on the socket. Returns the reply in
   * QEMU's member order, or null when QEMU sends none.
   */
  handle(request: unknown): unknown | null {
    let id: unknown = undefined;
    let reply: Reply;
    if (isRecord(request)) {
      const { id: rid, ...body } = request;
      id = rid;
      reply = this.dispatch(body);
    } else {
      reply = genericError('QMP input must be a JSON object');
    }
    if (!this.s.negotiated && 'error' in reply && reply.error.class === 'CommandNotFound') {
      reply.error.desc = "Expecting capabilities negotiation with 'qmp_capabilities'";
    }
    const full: Record<string, unknown> = { ...reply };
    if (id !== undefined) full.id = id;
    return inQemuOrder(full);
  }

  private dispatch(req: Record<string, unknown>): Reply {
    let execKey: string | null = null;
    let command = '';
    let args: Record<string, unknown> = {};
    for (const key of qdictKeyOrder(Object.keys(req))) {
      const v = req[key];
      if (key === 'execute' || (key === 'exec-oob' && this.s.oob)) {
        if (typeof v !== 'string') return genericError(`QMP input member '${key}' must be a string`);
        if (execKey) return genericError(`QMP input member '${key}' clashes with '${execKey}'`);
        execKey = key;
        command = v;
      } else if (key === 'arguments') {
        if (!isRecord(v)) return genericError("QMP input member 'arguments' must be an object");
        args = v;
      } else {
        return genericError(`QMP input member '${key}' is unexpected`);
      }
    }
    if (!execKey) return genericError("QMP input lacks member 'execute'");
    const known = this.s.negotiated ? MODELLED.has(command) : command === 'qmp_capabilities';
    if (!known) return classError('CommandNotFound', `The command ${command} has not been found`);
    if (execKey === 'exec-oob') return genericError(`The command ${command} does not support OOB`);
    const checked = this.engine.checker.command(this.engine.release, command, args);
    if (!checked.ok) return genericError(checked.error);
    return this.run(command, checked.value);
  }

  private run(command: string, a: Record<string, unknown>): Reply {
    const e = this.engine;
    switch (command) {
      case 'qmp_capabilities': {
        if (this.s.negotiated) {
          return classError('CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
        }
        const enable = Array.isArray(a.enable) ? a.enable.map(String) : [];
        for (const cap of enable) if (cap !== 'oob') return genericError(`Capability ${cap} not available`);
        this.s.negotiated = true;
        this.s.oob = enable.includes('oob');
        return { return: {} };
      }
      case 'query-version': {
        const r = e.release;
        return { return: { qemu: { major: r.major, minor: r.minor, micro: r.build.micro }, package: r.build.package } };
      }
      case 'query-commands':
        return { return: MODELLED_COMMANDS.map((name) => ({ name })) };
      case 'quit':
        // qmp_quit() requests the shutdown; SHUTDOWN is sent before this reply.
        announceShutdown(e, 'host-qmp-quit');
        this.s.quitRequested = true;
        return { return: {} };
      case 'netdev_add':
        return this.netdevAdd(a);
      case 'netdev_del':
        if (!e.deleteNetdev(String(a.id))) return classError('DeviceNotFound', `Device '${String(a.id)}' not found`);
        return { return: {} };
      case 'set_link':
        if (!e.setLink(String(a.name), a.up === true)) {
          return classError('DeviceNotFound', `Device '${String(a.name)}' not found`);
        }
        return { return: {} };
      case 'human-monitor-command': {
        if (a['cpu-index'] !== undefined) return genericError("Parameter 'cpu-index' expects a CPU number");
        return { return: this.hmp(String(a['command-line'])) };
      }
    }
    return classError('CommandNotFound', `The command ${command} has not been found`);
  }

  /** net_client_init1() for QMP: identifier, duplicates, then the backend's own checks. */
  private netdevAdd(a: Record<string, unknown>): Reply {
    const e = this.engine;
    const { id: rawId, type: rawType, ...rest } = a;
    const id = String(rawId);
    const type = String(rawType);
    if (!idWellFormed(id)) return genericError("Parameter 'id' expects an identifier");
    if (type === 'nic' || type === 'none') {
      return genericError(`network backend '${type}' is not compiled into this binary`);
    }
    if (type !== 'stream') {
      return genericError(`netdev-sim models only the stream backend; netdev type '${type}' is not simulated`);
    }
    if (e.hasNetdev(id)) return genericError(`Duplicate ID '${id}'`);
    const options = visitedStreamOptions(rest);
    const problem = e.optionError(options);
    if (problem) return genericError(problem);
    e.createNetdev(id, options, false);
    return { return: {} };
  }

  /**
   * The human monitor, as far as it is modelled (hmp.ts). Its output goes
   * through monitor_puts(), which writes every "\n" as "\r\n".
   */
  hmp(line: string): string {
    return runHmp({ release: this.engine.release, infoNetwork: () => this.infoNetworkLines('\n') }, line).replace(/\n/g, '\r\n');
  }

  /** `info network`'s text as QMP returns it. */
  infoNetwork(): string {
    return this.infoNetworkLines('\r\n');
  }

  private infoNetworkLines(eol: string): string {
    return this.engine
      .netdevInfo()
      .map(({ id, info }) => `${id}: index=0,type=stream,${info}${eol}`)
      .join('');
  }
}
