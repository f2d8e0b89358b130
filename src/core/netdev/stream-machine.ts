/**
 * The stream netdev backend (net/stream.c) as one XState machine for both
 * server and client mode and every modelled release. The release table
 * arrives as input; guards and actions read it through pure helpers.
 *
 * The machine never touches sockets or the monitor: it emits requests
 * (`io.*`, `timer.arm`) that the engine carries out, and the QMP events
 * NETDEV_STREAM_CONNECTED / NETDEV_STREAM_DISCONNECTED exactly where QEMU
 * sends them.
 */
import { assign, emit, setup } from 'xstate';
import { socketUri, type SocketAddress } from '../net/address.ts';
import type { Release } from '../releases.ts';
import {
  infoClientCreated,
  infoClientDisconnected,
  infoFailure,
  infoListening,
  infoReconnectArmed,
  infoServerCreated,
  reconnectInterval,
  truncateInfo,
  type StreamOptions,
} from './stream-logic.ts';

export interface NetdevInput {
  id: string;
  release: Release;
  options: StreamOptions;
}

export interface NetdevContext {
  id: string;
  release: Release;
  server: boolean;
  addr: SocketAddress;
  /** 0 when the client does not reconnect. */
  reconnectMs: number;
  /** The text after "type=stream," in `info network`. */
  info: string;
  /** The backend's link_down flag (set_link writes it; connects overwrite it). */
  linkDown: boolean;
  /** The engine's id of the current connection. */
  connId: number | null;
  /** The address CONNECTED reported for the current or last connection. */
  peer: SocketAddress | null;
  connects: number;
  disconnects: number;
  lastError: string | null;
}

export type NetdevEvent =
  | { type: 'listen.succeeded' }
  | { type: 'listen.failed'; message: string }
  | { type: 'client.accepted'; connId: number; local: SocketAddress; remote: SocketAddress }
  | { type: 'connect.succeeded'; connId: number; remote: SocketAddress }
  | { type: 'connect.failed'; message: string }
  | { type: 'connection.ended'; reason: 'end-of-file' | 'oversized-frame' }
  | { type: 'read.stalled' }
  | { type: 'reconnect.due' }
  | { type: 'link.set'; up: boolean }
  | { type: 'netdev.delete' };

export type NetdevEmitted =
  | { type: 'qmp.event'; event: 'NETDEV_STREAM_CONNECTED'; data: { 'netdev-id': string; addr: SocketAddress } }
  | { type: 'qmp.event'; event: 'NETDEV_STREAM_DISCONNECTED'; data: { 'netdev-id': string } }
  | { type: 'io.listen' }
  | { type: 'io.connect' }
  | { type: 'io.drop'; connId: number }
  | { type: 'io.release' }
  | { type: 'timer.arm'; ms: number };

/** QEMU reports a unix server's own path, and an inet server's client. */
export function serverReportedAddress(local: SocketAddress, remote: SocketAddress): SocketAddress {
  return local.type === 'unix' ? local : remote;
}

export const streamNetdevMachine = setup({
  types: {
    input: {} as NetdevInput,
    context: {} as NetdevContext,
    events: {} as NetdevEvent,
    emitted: {} as NetdevEmitted,
  },
  guards: {
    isServerMode: ({ context }) => context.server,
    reconnectIsEnabled: ({ context }) => context.reconnectMs > 0,
  },
  actions: {
    requestListen: emit({ type: 'io.listen' } as const),
    requestConnect: emit({ type: 'io.connect' } as const),
    showInitializing: assign({ info: ({ context }) => infoServerCreated(context.release) }),
    showConnectingAtStart: assign({ info: ({ context }) => infoClientCreated(context.release) }),
    showListening: assign({ info: ({ context }) => infoListening(context.release), linkDown: true }),
    showFailure: assign(({ context, event }) => {
      const message = 'message' in event ? event.message : '';
      return { info: truncateInfo(infoFailure(context.release, message)), lastError: message };
    }),
    adoptAcceptedClient: assign(({ context, event }) => {
      if (event.type !== 'client.accepted') return {};
      const peer = serverReportedAddress(event.local, event.remote);
      return {
        connId: event.connId,
        peer,
        info: truncateInfo(socketUri(peer)),
        linkDown: false,
        connects: context.connects + 1,
      };
    }),
    adoptOutgoingConnection: assign(({ context, event }) => {
      if (event.type !== 'connect.succeeded') return {};
      return {
        connId: event.connId,
        peer: event.remote,
        info: truncateInfo(socketUri(event.remote)),
        linkDown: false,
        connects: context.connects + 1,
      };
    }),
    emitConnected: emit(({ context }) => ({
      type: 'qmp.event' as const,
      event: 'NETDEV_STREAM_CONNECTED' as const,
      data: { 'netdev-id': context.id, addr: context.peer! },
    })),
    emitDisconnected: emit(({ context }) => ({
      type: 'qmp.event' as const,
      event: 'NETDEV_STREAM_DISCONNECTED' as const,
      data: { 'netdev-id': context.id },
    })),
    closeConnection: emit(({ context }) => ({ type: 'io.drop' as const, connId: context.connId ?? -1 })),
    forgetConnection: assign(({ context }) => ({ connId: null, linkDown: true, disconnects: context.disconnects + 1 })),
    showClientDisconnected: assign({ info: ({ context }) => infoClientDisconnected(context.release, context.info) }),
    armReconnectTimer: emit(({ context }) => ({ type: 'timer.arm' as const, ms: context.reconnectMs })),
    showReconnectArmed: assign({ info: ({ context }) => infoReconnectArmed(context.release, context.info) }),
    recordLinkState: assign({ linkDown: ({ event }) => (event.type === 'link.set' ? !event.up : false) }),
    releaseSockets: emit({ type: 'io.release' } as const),
  },
}).createMachine({
  id: 'streamNetdev',
  context: ({ input }) => ({
    id: input.id,
    release: input.release,
    server: input.options.server === true,
    addr: input.options.addr,
    reconnectMs: reconnectInterval(input.release, input.options),
    info: '',
    linkDown: true,
    connId: null,
    peer: null,
    connects: 0,
    disconnects: 0,
    lastError: null,
  }),
  initial: 'created',
  on: {
    'link.set': { actions: 'recordLinkState' },
    'netdev.delete': { target: '.deleted', actions: 'releaseSockets' },
  },
  states: {
    created: {
      always: [{ guard: 'isServerMode', target: 'server' }, { target: 'client' }],
    },
    server: {
      initial: 'initializing',
      states: {
        initializing: {
          entry: ['showInitializing', 'requestListen'],
          on: {
            'listen.succeeded': { target: 'listening', actions: 'showListening' },
            'listen.failed': { target: 'failed', actions: 'showFailure' },
          },
        },
        listening: {
          on: {
            'client.accepted': { target: 'connected', actions: ['adoptAcceptedClient', 'emitConnected'] },
          },
        },
        connected: {
          on: {
            'connection.ended': {
              target: 'listening',
              actions: ['closeConnection', 'forgetConnection', 'showListening', 'emitDisconnected'],
            },
            'read.stalled': { target: 'stalled' },
          },
        },
        /** A zero-length frame made QEMU stop reading this connection. */
        stalled: {},
        /** Listening failed; QEMU never retries. */
        failed: {},
      },
    },
    client: {
      initial: 'connecting',
      entry: 'showConnectingAtStart',
      states: {
        connecting: {
          entry: 'requestConnect',
          on: {
            'connect.succeeded': { target: 'connected', actions: ['adoptOutgoingConnection', 'emitConnected'] },
            'connect.failed': [
              { guard: 'reconnectIsEnabled', target: 'waiting', actions: 'showFailure' },
              { target: 'failed', actions: 'showFailure' },
            ],
          },
        },
        connected: {
          on: {
            'connection.ended': [
              {
                guard: 'reconnectIsEnabled',
                target: 'waiting',
                actions: ['closeConnection', 'forgetConnection', 'showClientDisconnected', 'emitDisconnected'],
              },
              {
                target: 'disconnected',
                actions: ['closeConnection', 'forgetConnection', 'showClientDisconnected', 'emitDisconnected'],
              },
            ],
            'read.stalled': { target: 'stalled' },
          },
        },
        /** Waiting for the reconnect timer; failed attempts stay silent. */
        waiting: {
          entry: ['showReconnectArmed', 'armReconnectTimer'],
          on: { 'reconnect.due': { target: 'connecting' } },
        },
        /** The peer went away and there is no reconnect: nothing more happens. */
        disconnected: {},
        /** The first connect failed and there is no reconnect. */
        failed: {},
        /** A zero-length frame made QEMU stop reading this connection. */
        stalled: {},
      },
    },
    deleted: { type: 'final' },
  },
});

export type StreamNetdevMachine = typeof streamNetdevMachine;
