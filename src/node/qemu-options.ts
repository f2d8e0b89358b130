/**
 * The part of qemu-system's command line the stand-in takes, parsed as
 * QEMU parses it (QemuOpts: comma-separated key=value, ",," for a comma,
 * an implied first key, a bare key meaning on) and refused in QEMU's words
 * (checked on QEMU 7.2) where QEMU would refuse it:
 *
 *   -qmp unix:PATH|tcp:HOST:PORT,server=on[,wait=off]
 *   -chardev socket,id=ID,path=PATH|host=HOST,port=PORT,server=on[,wait=off]
 *   -mon [chardev=]ID,mode=control[,id=NAME]     (several monitors, as libvirt uses)
 *   -netdev stream,...   -pidfile PATH   -daemonize   -no-shutdown   -S
 *   -name [guest=]NAME[,debug-threads=on|off][,process=NAME]   -uuid UUID
 *   -msg timestamp=on|off[,guest-name=on|off]
 *   -M none  -nodefaults  -no-user-config  -display none  -version
 *   --release X.Y   --record FILE   (netdev-sim's own)
 */
import { QEMU_BINARY } from '../core/engine.ts';
import { findRelease, NEWEST_RELEASE, RELEASE_NAMES, type Release } from '../core/releases.ts';

export type QmpSocket = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** One QMP monitor on a listening socket. */
export interface MonitorSpec {
  socket: QmpSocket;
  wait: boolean;
  /** The option that created the socket, for QEMU's messages (`-qmp unix:...`). */
  location: string;
  /** QEMU's name for the waiting socket: `unix:PATH,server=on`. */
  filename: string;
}

export interface QemuOptions {
  monitors: MonitorSpec[];
  netdevs: string[];
  release: Release;
  paused: boolean;
  version: boolean;
  pidfile: string | null;
  daemonize: boolean;
  noShutdown: boolean;
  name: string | null;
  uuid: string | null;
  timestamps: boolean;
  guestNameInMessages: boolean;
  record: string | null;
}

export class OptionError extends Error {
  constructor(
    message: string,
    /** Printed with -msg's timestamp: the option came after -msg timestamp=on. */
    readonly timestamped = false,
  ) {
    super(message);
  }
}

const PREFIX = `${QEMU_BINARY}: `;

/** QemuOpts: key=value pairs; the first may omit `implied=`; `,,` is a comma. */
export function parseQemuOpts(text: string, implied: string | null): [string, string][] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',') {
      if (text[i + 1] === ',') {
        cur += ',';
        i++;
        continue;
      }
      parts.push(cur);
      cur = '';
    } else {
      cur += text[i];
    }
  }
  parts.push(cur);
  return parts.map((p, i) => {
    const eq = p.indexOf('=');
    if (eq >= 0) return [p.slice(0, eq), p.slice(eq + 1)];
    if (i === 0 && implied !== null) return [implied, p];
    return p.startsWith('no') && p.length > 2 ? [p.slice(2), 'off'] : [p, 'on'];
  });
}

function onOff(where: string, key: string, value: string): boolean {
  if (value === 'on' || value === 'yes') return true;
  if (value === 'off' || value === 'no') return false;
  throw new OptionError(`${PREFIX}${where}: Parameter '${key}' expects 'on' or 'off'`);
}

const WITH_ARGUMENT = new Set([
  '-qmp', '-chardev', '-mon', '-netdev', '-M', '-machine', '-display', '-pidfile', '-name', '-uuid', '-msg', '-release', '-record',
]);
const ALONE = new Set(['-nodefaults', '-no-user-config', '-S', '-version', '-daemonize', '-no-shutdown']);

interface Chardev {
  socket: QmpSocket;
  wait: boolean;
  location: string;
  filename: string;
  used: boolean;
}

/** Parses the command line; throws OptionError with QEMU's wording. */
export function parseQemuArgs(argv: readonly string[]): QemuOptions {
  const out: QemuOptions = {
    monitors: [],
    netdevs: [],
    release: NEWEST_RELEASE,
    paused: false,
    version: false,
    pidfile: null,
    daemonize: false,
    noShutdown: false,
    name: null,
    uuid: null,
    timestamps: false,
    guestNameInMessages: false,
    record: null,
  };
  // QEMU's first pass: every option known and given its argument.
  const opts: { name: string; value: string; location: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    let opt = argv[i]!;
    let inline: string | undefined;
    if (opt.startsWith('--') && opt.includes('=')) {
      inline = opt.slice(opt.indexOf('=') + 1);
      opt = opt.slice(0, opt.indexOf('='));
    }
    const name = opt.startsWith('--') ? opt.slice(1) : opt;
    if (ALONE.has(name)) {
      opts.push({ name, value: '', location: opt });
      continue;
    }
    if (!opt.startsWith('-') || !WITH_ARGUMENT.has(name)) throw new OptionError(`${PREFIX}${opt}: invalid option`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new OptionError(`${PREFIX}${opt}: requires an argument`);
    opts.push({ name, value, location: `${opt} ${value}` });
  }
  // The second pass, in order; -msg takes effect for the options after it.
  const chardevs = new Map<string, Chardev>();
  const mons: { id: string; location: string }[] = [];
  for (const { name, value, location } of opts) {
    const fail = (why: string) => new OptionError(`${PREFIX}${location}: ${why}`, out.timestamps);
    switch (name) {
      case '-S':
        out.paused = true;
        break;
      case '-version':
        out.version = true;
        break;
      case '-daemonize':
        out.daemonize = true;
        break;
      case '-no-shutdown':
        out.noShutdown = true;
        break;
      case '-nodefaults':
      case '-no-user-config':
        break;
      case '-qmp': {
        const c = parseQmpShorthand(value, fail);
        out.monitors.push({ ...c, location });
        break;
      }
      case '-chardev': {
        const kv = parseQemuOpts(value, 'backend');
        const id = kv.find(([k]) => k === 'id')?.[1];
        const backend = kv[0]![1];
        if (backend !== 'socket') {
          if (!['socket', 'pty', 'stdio', 'file', 'pipe', 'null', 'udp', 'vc', 'ringbuf', 'memory', 'serial', 'parallel', 'spicevmc', 'spiceport', 'qemu-vdagent', 'dbus', 'mux', 'braille', 'msmouse', 'wctablet', 'testdev'].includes(backend)) {
            throw fail(`'${backend}' is not a valid char driver name`);
          }
          throw fail(`netdev-sim models only socket chardevs (for QMP monitors), not '${backend}'`);
        }
        if (id === undefined) throw fail('chardev: no id specified');
        if (chardevs.has(id)) throw fail(`Duplicate ID '${id}' for chardev`);
        chardevs.set(id, { ...parseChardevSocket(kv.slice(1), fail), location, used: false });
        break;
      }
      case '-mon': {
        const kv = parseQemuOpts(value, 'chardev');
        let id: string | null = null;
        for (const [k, v] of kv) {
          if (k === 'chardev') id = v;
          else if (k === 'mode') {
            if (v !== 'control') {
              if (v !== 'readline') throw fail(`Parameter 'mode' does not accept value '${v}'`);
              throw fail('netdev-sim models only QMP monitors: use mode=control');
            }
          } else if (k === 'pretty') {
            if (onOff(location, k, v)) throw fail('netdev-sim does not model pretty=on');
          } else if (k !== 'id' && k !== 'default') throw fail(`Invalid parameter '${k}'`);
        }
        if (!kv.some(([k, v]) => k === 'mode' && v === 'control')) throw fail('netdev-sim models only QMP monitors: use mode=control');
        if (id === null) throw fail('Parameter \'chardev\' is missing');
        mons.push({ id, location });
        break;
      }
      case '-netdev':
        out.netdevs.push(value);
        break;
      case '-M':
      case '-machine': {
        const type = parseQemuOpts(value, 'type')[0]![1];
        if (type !== 'none') throw fail('netdev-sim models only -M none (no machine, no NIC)');
        break;
      }
      case '-display':
        if (parseQemuOpts(value, 'type')[0]![1] !== 'none') throw fail('netdev-sim has no display; use -display none');
        break;
      case '-pidfile':
        out.pidfile = value;
        break;
      case '-name':
        for (const [k, v] of parseQemuOpts(value, 'guest')) {
          if (k === 'guest') out.name = v;
          else if (k === 'debug-threads') onOff(location, k, v);
          else if (k !== 'process') throw fail(`Invalid parameter '${k}'`);
        }
        break;
      case '-uuid':
        if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value)) {
          throw fail('failed to parse UUID string: wrong format');
        }
        out.uuid = value.toLowerCase();
        break;
      case '-msg':
        for (const [k, v] of parseQemuOpts(value, null)) {
          if (k === 'timestamp') out.timestamps = onOff(location, k, v);
          else if (k === 'guest-name') out.guestNameInMessages = onOff(location, k, v);
          else throw fail(`Invalid parameter '${k}'`);
        }
        break;
      case '-release': {
        const r = findRelease(value);
        if (!r) throw fail(`unknown release; modelled releases are ${RELEASE_NAMES.join(', ')}`);
        out.release = r;
        break;
      }
      case '-record':
        out.record = value;
        break;
    }
  }
  // Monitors find their chardevs once every option is read (QEMU creates chardevs first).
  for (const m of mons) {
    const c = chardevs.get(m.id);
    if (!c) throw new OptionError(`${PREFIX}${m.location}: chardev "${m.id}" not found`, out.timestamps);
    if (c.used) throw new OptionError(`${PREFIX}${m.location}: Device '${m.id}' is in use`, out.timestamps);
    c.used = true;
    out.monitors.push({ socket: c.socket, wait: c.wait, location: c.location, filename: c.filename });
  }
  if (out.monitors.length === 0 && !out.version) {
    throw new OptionError(
      `${PREFIX}no QMP monitor: give -qmp unix:PATH,server=on,wait=off, or -chardev socket,id=ID,path=PATH,server=on,wait=off with -mon chardev=ID,mode=control`,
    );
  }
  return out;
}

/** `-qmp unix:PATH,server=on,wait=off` or `tcp:HOST:PORT,...`. */
function parseQmpShorthand(spec: string, fail: (why: string) => OptionError): Omit<MonitorSpec, 'location'> {
  const [[, where], ...kv] = parseQemuOpts(spec, 'where') as [[string, string], ...[string, string][]];
  let socket: QmpSocket;
  if (where.startsWith('unix:')) {
    const path = where.slice(5);
    if (path === '') throw fail('invalid Unix socket address');
    socket = { kind: 'unix', path };
  } else if (where.startsWith('tcp:')) {
    const m = /^tcp:(\[[^\]]*\]|[^:]*):(\d+)$/.exec(where);
    if (!m) throw fail(`error parsing address '${where.slice(4)}'`);
    const host = m[1]!.replace(/^\[|\]$/g, '');
    socket = { kind: 'tcp', host: host === '' ? '0.0.0.0' : host, port: Number(m[2]) };
  } else {
    throw fail('netdev-sim supports unix: and tcp: QMP sockets');
  }
  return { ...socketOptions(socket, kv, fail), socket };
}

function parseChardevSocket(kv: [string, string][], fail: (why: string) => OptionError): Omit<Chardev, 'location' | 'used'> {
  const path = kv.find(([k]) => k === 'path')?.[1];
  const host = kv.find(([k]) => k === 'host')?.[1];
  const port = kv.find(([k]) => k === 'port')?.[1];
  const rest = kv.filter(([k]) => !['id', 'path', 'host', 'port'].includes(k));
  let socket: QmpSocket;
  if (path !== undefined) socket = { kind: 'unix', path };
  else if (port !== undefined) socket = { kind: 'tcp', host: host ?? '0.0.0.0', port: Number(port) };
  else throw fail('netdev-sim needs path= or host=,port= for a socket chardev');
  return { ...socketOptions(socket, rest, fail), socket };
}

function socketOptions(socket: QmpSocket, kv: [string, string][], fail: (why: string) => OptionError): { wait: boolean; filename: string } {
  let server = false;
  let wait = true;
  for (const [k, v] of kv) {
    if (k === 'server') server = onOffOrFail(k, v, fail);
    else if (k === 'wait') wait = onOffOrFail(k, v, fail);
    else if (['telnet', 'tn3270', 'websocket', 'reconnect', 'tls-creds', 'tls-authz', 'mux', 'logfile', 'logappend', 'abstract', 'tight', 'nodelay', 'ipv4', 'ipv6', 'to', 'fd', 'delay'].includes(k)) {
      throw fail(`netdev-sim does not model the chardev option '${k}'`);
    } else throw fail(`Invalid parameter '${k}'`);
  }
  if (!server) throw fail('netdev-sim only listens for its QMP client: add server=on');
  const where = socket.kind === 'unix' ? `unix:${socket.path}` : `tcp:${socket.host.includes(':') ? `[${socket.host}]` : socket.host}:${socket.port}`;
  return { wait, filename: `${where},server=on` };
}

function onOffOrFail(key: string, value: string, fail: (why: string) => OptionError): boolean {
  if (value === 'on' || value === 'yes') return true;
  if (value === 'off' || value === 'no') return false;
  throw fail(`Parameter '${key}' expects 'on' or 'off'`);
}
