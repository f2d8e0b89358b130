/**
 * What each modelled QEMU release does differently, as data.
 *
 * Guards, validators and info-string helpers read this table; there is one
 * backend machine for every release. Facts come from the conformance
 * recordings (7.2, 10.0, 11.1) and, for releases without a recording, from
 * QEMU's sources as summarised in the project's reference notes.
 */

/** How `info network` describes a stream netdev (net/stream.c history). */
export type InfoStyle =
  /** 7.2 to 8.2: empty text while idle, "connection error" on failure. */
  | 'terse'
  /** 9.0 and later: "initializing", "listening", "connecting", "error: ...". */
  | 'explicit';

/** The wire type of the `reconnect` member, when the release has one. */
export type ReconnectType = 'uint32' | 'int';

/** Which server-mode / mutual-exclusion texts net_init_stream() uses. */
export type OptionRules =
  /** 7.2: no reconnect at all. */
  | 'none'
  /** 8.0 to 9.1: reconnect only. */
  | 'reconnect-only'
  /** 9.2 to 10.1: reconnect (deprecated) and reconnect-ms. */
  | 'both'
  /** 10.2 and later: reconnect-ms only. */
  | 'ms-only';

export interface Release {
  /** "MAJOR.MINOR" as scenarios write it. */
  readonly name: string;
  readonly major: number;
  readonly minor: number;
  /** Present when the release knows the `reconnect` member. */
  readonly reconnect: ReconnectType | null;
  /** Whether the `reconnect` member carries the `deprecated` feature. */
  readonly reconnectDeprecated: boolean;
  /** Whether the release knows `reconnect-ms`. */
  readonly reconnectMs: boolean;
  /** `reconnect` counts in GLib seconds (g_timeout_add_seconds) before 9.2. */
  readonly reconnectUnit: 'seconds' | 'milliseconds';
  readonly info: InfoStyle;
  readonly optionRules: OptionRules;
  /** A real build of this release was recorded in content/conformance. */
  readonly recorded: boolean;
  /**
   * The version QEMU reports (greeting, query-version): the recorded Debian
   * build where there is one, else MAJOR.MINOR.0 with no package string.
   */
  readonly build: { readonly micro: number; readonly package: string };
  /** One line on what changed in this release, for the docs and the UI. */
  readonly change: string;
}

/** The builds recorded in content/conformance (see its README). */
const RECORDED_BUILDS: Record<string, Release['build']> = {
  '7.2': { micro: 22, package: 'Debian 1:7.2+dfsg-7+deb12u18+b3' },
  '10.0': { micro: 13, package: 'Debian 1:10.0.13+ds-0+deb13u1' },
  '11.1': { micro: 3, package: 'Debian 1:11.1.3+ds-1' },
};

function release(
  major: number,
  minor: number,
  rest: Omit<Release, 'name' | 'major' | 'minor' | 'build'>,
): Release {
  const name = `${major}.${minor}`;
  const build = RECORDED_BUILDS[name] ?? { micro: 0, package: '' };
  return Object.freeze({ name, major, minor, build, ...rest });
}

const terse7 = {
  reconnect: null,
  reconnectDeprecated: false,
  reconnectMs: false,
  reconnectUnit: 'seconds',
  info: 'terse',
  optionRules: 'none',
} as const;

const withSeconds = {
  reconnect: 'uint32',
  reconnectDeprecated: false,
  reconnectMs: false,
  reconnectUnit: 'seconds',
  optionRules: 'reconnect-only',
} as const;

const withBoth = {
  reconnect: 'int',
  reconnectDeprecated: true,
  reconnectMs: true,
  reconnectUnit: 'milliseconds',
  info: 'explicit',
  optionRules: 'both',
} as const;

const msOnly = {
  reconnect: null,
  reconnectDeprecated: false,
  reconnectMs: true,
  reconnectUnit: 'milliseconds',
  info: 'explicit',
  optionRules: 'ms-only',
} as const;

/** Every modelled release, oldest first. */
export const RELEASES: readonly Release[] = Object.freeze([
  release(7, 2, {
    ...terse7,
    recorded: true,
    change: 'The stream backend and its NETDEV_STREAM_CONNECTED / NETDEV_STREAM_DISCONNECTED events appear.',
  }),
  release(8, 0, {
    ...withSeconds,
    info: 'terse',
    recorded: false,
    change: 'Client mode gains `reconnect` (whole seconds, uint32).',
  }),
  release(8, 1, { ...withSeconds, info: 'terse', recorded: false, change: 'No change to the stream backend.' }),
  release(8, 2, { ...withSeconds, info: 'terse', recorded: false, change: 'No change to the stream backend.' }),
  release(9, 0, {
    ...withSeconds,
    info: 'explicit',
    recorded: false,
    change: '`info network` says initializing, listening, connecting or "error: <reason>" instead of an empty text or "connection error".',
  }),
  release(9, 1, { ...withSeconds, info: 'explicit', recorded: false, change: 'No change to the stream backend.' }),
  release(9, 2, {
    ...withBoth,
    recorded: false,
    change: '`reconnect-ms` arrives; `reconnect` becomes a deprecated int counted in seconds.',
  }),
  release(10, 0, { ...withBoth, recorded: true, change: 'No change to the stream backend.' }),
  release(10, 1, {
    ...withBoth,
    recorded: false,
    change: 'The stream code is shared with the new `-netdev passt` backend; no visible change for stream.',
  }),
  release(10, 2, {
    ...msOnly,
    recorded: false,
    change: '`reconnect` is removed; only `reconnect-ms` remains.',
  }),
  release(11, 0, { ...msOnly, recorded: false, change: 'No change to the stream backend.' }),
  release(11, 1, { ...msOnly, recorded: true, change: 'No change to the stream backend.' }),
]);

const [oldestName, ...laterNames] = RELEASES.map((r) => r.name);

/** Every modelled release's name, oldest first (never empty: schemas pick from it). */
export const RELEASE_NAMES: readonly [string, ...string[]] = [oldestName!, ...laterNames];

/** The newest modelled release; the default where none is named. */
export const NEWEST_RELEASE: Release = RELEASES[RELEASES.length - 1]!;

const byName = new Map(RELEASES.map((r) => [r.name, r]));

export function findRelease(name: string): Release | undefined {
  return byName.get(name);
}

/** True when `r` is `major.minor` or newer. */
export function atLeast(r: Release, major: number, minor: number): boolean {
  return r.major > major || (r.major === major && r.minor >= minor);
}

/**
 * Evaluates a schema condition symbol for a release: `QEMU_9_2` is true from
 * 9.2 on; build options of the Debian x86_64 builds that were recorded are
 * true; anything else is false.
 */
export function releaseHasSymbol(r: Release, symbol: string): boolean {
  const m = /^QEMU_(\d+)_(\d+)$/.exec(symbol);
  if (m) return atLeast(r, Number(m[1]), Number(m[2]));
  return BUILD_SYMBOLS.has(symbol);
}

const BUILD_SYMBOLS = new Set([
  'CONFIG_LINUX',
  'CONFIG_POSIX',
  'HAVE_IPPROTO_MPTCP',
  'HAVE_TCP_KEEPCNT',
  'HAVE_TCP_KEEPIDLE',
  'HAVE_TCP_KEEPINTVL',
  'CONFIG_SLIRP',
  'CONFIG_VDE',
  'CONFIG_L2TPV3',
  'CONFIG_NET_BRIDGE',
  'CONFIG_VHOST_NET_USER',
  'CONFIG_VHOST_NET_VDPA',
  'CONFIG_AF_XDP',
  'CONFIG_PASST',
]);
