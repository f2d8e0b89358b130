/**
 * Checkpoints: the engine's whole state at one instant, as copies of what
 * each part owns (clock and queue, kernel, netdevs with their machine
 * snapshots, peers, monitor), so a session can seek backwards without
 * rerunning a scenario from the start.
 *
 * Outputs only grow, so a checkpoint keeps just their lengths; restoring
 * takes the prefixes from the outputs of a run that went through it.
 */
import type { NetworkState } from './net/kernel-state.ts';
import type { FrameRecord, NetdevsState, NetdevTask } from './netdev/netdevs.ts';
import type { PeerRecord, PeerTask } from './peers/peers.ts';
import type { MonitorState } from './qmp/monitor.ts';
import type { EmittedEvent, TranscriptEntry } from './qmp/types.ts';
import type { ClockState } from './scheduler.ts';

/** The simulated kernel's own timers (a dropped SYN sent again, a vsock connect timing out). */
export type KernelTask = { kind: 'kernel.timer'; connId: number };

/** Every kind of work on the engine's queue. */
export type Task = NetdevTask | PeerTask | KernelTask;

/** What the simulated QEMU and its surroundings have printed and sent. */
export interface EngineOutputs {
  transcript: TranscriptEntry[];
  stderr: string[];
  events: EmittedEvent[];
  frames: FrameRecord[];
}

export interface EngineCheckpoint {
  clock: ClockState<Task>;
  network: NetworkState;
  netdevs: NetdevsState;
  peers: Map<string, PeerRecord>;
  monitor: MonitorState;
  exited: boolean;
  /** Exit status when QEMU died of a signal, else null. */
  crashStatus: number | null;
  rngSeed: number;
  /** How long each output was. */
  lengths: { [K in keyof EngineOutputs]: number };
}

/** A part of the engine that can copy its state out and take a copy back. */
export interface Saving<S> {
  save(): S;
  load(saved: S): void;
}

/** The parts a checkpoint covers. */
export interface EngineParts {
  clock: Saving<ClockState<Task>>;
  network: Saving<NetworkState>;
  netdevs: Saving<NetdevsState>;
  peers: Saving<Map<string, PeerRecord>>;
  monitor: Saving<MonitorState>;
}

export function takeCheckpoint(
  parts: EngineParts,
  process: { exited: boolean; crashStatus: number | null; rngSeed: number },
  outputs: EngineOutputs,
): EngineCheckpoint {
  return {
    clock: parts.clock.save(),
    network: parts.network.save(),
    netdevs: parts.netdevs.save(),
    peers: parts.peers.save(),
    monitor: parts.monitor.save(),
    ...process,
    lengths: outputLengths(outputs),
  };
}

/** Puts every part back to `cp` (the process flags and outputs are the caller's). */
export function restoreParts(parts: EngineParts, cp: EngineCheckpoint): void {
  parts.clock.load(cp.clock);
  parts.network.load(cp.network);
  parts.netdevs.load(cp.netdevs);
  parts.peers.load(cp.peers);
  parts.monitor.load(cp.monitor);
}

export function emptyOutputs(): EngineOutputs {
  return { transcript: [], stderr: [], events: [], frames: [] };
}

export function outputLengths(o: EngineOutputs): EngineCheckpoint['lengths'] {
  return { transcript: o.transcript.length, stderr: o.stderr.length, events: o.events.length, frames: o.frames.length };
}

/** The outputs at a checkpoint: prefixes of a later run's outputs. */
export function outputsAt(cp: EngineCheckpoint, history: Readonly<EngineOutputs>): EngineOutputs {
  return {
    transcript: history.transcript.slice(0, cp.lengths.transcript),
    stderr: history.stderr.slice(0, cp.lengths.stderr),
    events: history.events.slice(0, cp.lengths.events),
    frames: history.frames.slice(0, cp.lengths.frames),
  };
}
