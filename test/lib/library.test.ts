/**
 * The package's library entry (src/lib): the same answers as the CLI, no
 * process-wide side effects, and public types that accept exactly what the
 * core's types accept.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario as CoreScenario, ScenarioIssue as CoreIssue, Step as CoreStep, PeerAddress as CorePeerAddress } from '../../src/core/scenario/schema.ts';
import type { DecodedLink as CoreDecodedLink } from '../../src/share/link.ts';
import type { TranscriptLine as CoreTranscriptLine } from '../../src/core/transcript/format.ts';
import {
  checkScenario,
  decodeLink,
  encodeLink,
  normaliseTranscript,
  releases,
  runScenario,
  sameTranscript,
  ScenarioError,
  startStandIn,
  type DecodedLink,
  type PeerAddress,
  type Scenario,
  type ScenarioIssue,
  type StandIn,
  type Step,
  type TranscriptLine,
} from '../../src/lib/index.ts';
import { cli } from '../support/cli.ts';
import { cleanUp, qmpConnect, tempDir } from '../support/standin.ts';

// Compile-time: the public types and the core's accept the same values (tsc --noEmit fails otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAgree: [
  Same<Scenario, CoreScenario>,
  Same<Step, CoreStep>,
  Same<PeerAddress, CorePeerAddress>,
  Same<ScenarioIssue, CoreIssue>,
  Same<TranscriptLine, CoreTranscriptLine>,
  Same<DecodedLink, CoreDecodedLink>,
] = [true, true, true, true, true, true];

const ROOT = new URL('../../', import.meta.url).pathname;
const GUIDED = `${ROOT}content/scenarios/server-accepts-then-hangs-up.json`;
const guided = () => JSON.parse(readFileSync(GUIDED, 'utf8')) as unknown;

let running: StandIn[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
  cleanUp();
});

describe('the library entry', () => {
  it('has public types that match the core types', () => {
    expect(typesAgree.every(Boolean)).toBe(true);
  });

  it('lists the modelled releases oldest first', () => {
    const r = releases();
    expect(r[0]).toBe('7.2');
    expect(r.at(-1)).toBe('11.1');
    expect(r).toContain('10.0');
  });

  it('runs a scenario to the transcript and stderr `netdev-sim run` prints', async () => {
    const lib = runScenario(guided(), { release: '10.0' });
    const cmd = await cli('run', GUIDED, '--qemu', '10.0');
    expect(cmd.status).toBe(0);
    expect(lib.jsonl).toBe(cmd.out);
    expect(lib.stderr.map((l) => `${l}\n`).join('')).toBe(cmd.err);
    expect(lib.release).toBe('10.0');
    const events = lib.transcript.filter((l) => l.dir === '<-' && typeof (l.msg as { event?: unknown }).event === 'string').map((l) => l.msg);
    expect(lib.events).toEqual(events);
    expect(lib.events.map((e) => e.event)).toContain('NETDEV_STREAM_CONNECTED');
  });

  it('checks scenarios and names the bad value by its path', () => {
    const bad = { scenario: 1, qemu: '10.0', steps: [{ peer: 'a', connect: { type: 'tcp' } }] };
    const c = checkScenario(bad);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues[0]!.path).toBe('steps[0].connect.type');
    let thrown: unknown;
    try {
      runScenario(bad);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScenarioError);
    expect((thrown as ScenarioError).message).toMatch(/^steps\[0\]\.connect\.type: expected one of "unix", "inet", "fd", got "tcp"/);
    expect(() => runScenario(guided(), { release: '6.0' })).toThrow(/unknown QEMU release "6.0"/);
  });

  it('normalises a real recording to the simulator’s transcript', () => {
    const scenario = JSON.parse(readFileSync(`${ROOT}content/conformance/scenarios/01-server-unix-hangup-then-second-client.json`, 'utf8')) as unknown;
    const recording = readFileSync(`${ROOT}content/conformance/10.0/01-server-unix-hangup-then-second-client.jsonl`, 'utf8');
    const ours = runScenario(scenario, { release: '10.0' });
    expect(normaliseTranscript(recording, scenario).problems).toEqual([]);
    expect(sameTranscript(ours.transcript, recording, scenario)).toBe(true);
    expect(sameTranscript(ours.transcript.slice(1), recording, scenario)).toBe(false);
    expect(() => normaliseTranscript('{"dir":\n', scenario)).toThrow(/line 1/);
  });

  it('makes share links and reads them back', async () => {
    const link = await encodeLink(guided(), { step: 2, release: '7.2', base: 'https://example.org/simulator/' });
    expect(link).toMatch(/^https:\/\/example\.org\/simulator\/#s=v1\./);
    const back = await decodeLink(link);
    expect(back.ok && [back.release, back.step, back.scenario.title]).toEqual(['7.2', 2, (guided() as { title: string }).title]);
    const broken = await decodeLink('#s=v1.@@@');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.code).toBe('bad-characters');
  });
});

describe('startStandIn', () => {
  it('runs the stand-in in-process: QMP on a real socket, events to wait for, stop() cleans up, no signal handlers', async () => {
    const dir = tempDir();
    const sock = `${dir}/n0.sock`;
    const sigterm = process.listenerCount('SIGTERM');
    const sigint = process.listenerCount('SIGINT');
    const qemu = await startStandIn({ release: '10.0', netdevs: [`stream,id=n0,server=on,addr.type=unix,addr.path=${sock}`] });
    running.push(qemu);
    expect(process.listenerCount('SIGTERM')).toBe(sigterm);
    expect(process.listenerCount('SIGINT')).toBe(sigint);
    expect(qemu.qmp.type).toBe('unix');
    const qmpPath = (qemu.qmp as { path: string }).path;
    const client = await (await qmpConnect(qmpPath)).negotiate();
    const reply = await client.command('query-version');
    expect(reply).toMatchObject({ return: { qemu: { major: 10, minor: 0 } } });

    const connected = qemu.waitForEvent('NETDEV_STREAM_CONNECTED', { where: (d) => d['netdev-id'] === 'n0' });
    const peer = net.connect(sock);
    const event = await connected;
    expect(event.data).toMatchObject({ 'netdev-id': 'n0', addr: { type: 'unix', path: sock } });
    await client.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    peer.destroy();
    const gone = await qemu.waitForEvent('NETDEV_STREAM_DISCONNECTED');
    expect(gone.data).toEqual({ 'netdev-id': 'n0' });
    await expect(qemu.waitForEvent('NETDEV_STREAM_DISCONNECTED', { timeoutMs: 100 })).rejects.toThrow(/no NETDEV_STREAM_DISCONNECTED within 100 ms/);

    expect(await qemu.stop()).toBe(0);
    expect(qemu.events.at(-1)?.event).toBe('SHUTDOWN');
    expect(existsSync(qmpPath)).toBe(false);
    expect(existsSync(sock)).toBe(false);
  });

  it('rejects with QEMU’s message when the stand-in cannot start', async () => {
    await expect(startStandIn({ netdevs: ['stream,id=n0,server=on,addr.type=tcp'] })).rejects.toThrow(/did not start \(exit status 1\): .*-netdev/);
    await expect(startStandIn({ args: ['-daemonize'] })).rejects.toThrow(/-daemonize/);
  });
});
