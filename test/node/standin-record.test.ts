/**
 * `netdev-sim qemu --record FILE` writes what happened as a scenario
 * (FILE.json) and its transcript (FILE.jsonl); `netdev-sim run FILE.json`
 * replays the scenario in the simulator to the same transcript (after the
 * spec's normalisation), and `netdev-sim link` shares it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { parseTranscript } from '../../src/core/transcript/format.ts';
import { canonicalLines, normaliseTranscript } from '../../src/core/transcript/normalise.ts';
import { BIN, cleanUp, qmpConnect, ROOT, standIn, tempDir, waitForPath } from '../support/standin.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';

afterEach(cleanUp);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

describe('netdev-sim qemu --record', () => {
  it('records a session that netdev-sim run replays to the same transcript', async () => {
    const dir = tempDir();
    const qmp = join(dir, 'qmp.sock');
    const n0 = join(dir, 'n0.sock');
    const peerPath = join(dir, 'peer.sock');
    const q = standIn(['--release', '10.0', '-qmp', `unix:${qmp},server=on,wait=off`, '--record', join(dir, 'session'), '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${n0}`]);
    await waitForPath(qmp);
    const c = await (await qmpConnect(qmp)).negotiate();
    await sleep(200);
    // A peer connects to the server netdev, sends one frame and hangs up.
    const peer = net.connect(n0);
    await c.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    peer.write(Buffer.from(`0000002a${SAMPLE_ARP_FRAME_HEX}`, 'hex'));
    await sleep(300);
    peer.destroy();
    await c.waitMsg((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
    // A client netdev with reconnect-ms finds its peer listening later, which then goes away.
    await c.command('netdev_add', { id: 'c0', type: 'stream', addr: { type: 'unix', path: peerPath }, 'reconnect-ms': 100 });
    await sleep(250);
    const server = net.createServer((s) => setTimeout(() => s.destroy(), 200)).listen(peerPath);
    await c.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED' && (m.data as Record<string, unknown>)['netdev-id'] === 'c0');
    await c.waitMsg((m) => m.event === 'NETDEV_STREAM_DISCONNECTED' && (m.data as Record<string, unknown>)['netdev-id'] === 'c0');
    server.close();
    try {
      unlinkSync(peerPath);
    } catch {
      // closed already
    }
    await c.command('human-monitor-command', { 'command-line': 'info network' });
    c.send({ execute: 'quit' });
    expect((await q.exited).code).toBe(0);

    const scenario = JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as unknown;
    const checked = checkScenario(scenario);
    expect(checked.ok).toBe(true);
    const recorded = parseTranscript(readFileSync(join(dir, 'session.jsonl'), 'utf8'));
    if (!recorded.ok) throw new Error(recorded.error);
    // What was recorded is what the client saw, line for line.
    expect(recorded.lines.filter((l) => l.dir === '<-').length).toBe(c.lines.length);

    const replay = cli(['run', join(dir, 'session.json'), '--normalise', '--quiet']);
    expect(replay.status, replay.stderr).toBe(0);
    const ours = canonicalLines(replay.stdout.trim().split('\n').map((l) => JSON.parse(l) as never));
    const theirs = canonicalLines(normaliseTranscript(recorded.lines, scenario).lines);
    expect(ours).toEqual(theirs);
    expect(theirs.filter((l) => l.includes('NETDEV_STREAM')).length).toBe(4);
    expect(cli(['compare', join(dir, 'session.json'), join(dir, 'session.jsonl')]).status).toBe(0);
    const link = cli(['link', join(dir, 'session.json')]);
    expect(link.status).toBe(0);
    expect(link.stdout).toMatch(/^\/simulator\/#s=v1\./);
  });
});
