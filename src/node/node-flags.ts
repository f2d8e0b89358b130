/**
 * How the stand-in QEMU keeps its memory flat under sustained load (it
 * retains nothing per event, line or netdev; what is left is V8 sizing its
 * heap for the churn it sees). One place for the flags, used by everything
 * that starts the stand-in.
 *
 * At run time, `netdev-sim qemu` itself (src/cli/qemu-entry.ts; never the
 * library, whose process is its user's) asks V8 to optimize for size
 * (v8.setFlagsFromString, STAND_IN_RUNTIME_V8_FLAGS): V8 then sizes its
 * heap as for an isolate in the background (conservative old-generation
 * growth, memory-reducing collections that also shrink the young
 * generation). Measured over 25,000 connect/disconnect cycles, RSS stays
 * within a few MB of 70 MB instead of rising by about 80 MB (V8 growing its
 * young generation to its default maximum and keeping it), at no cost in
 * event latency, frame intake or QMP lines.
 *
 * At start-up, STAND_IN_NODE_FLAGS also bounds the young generation
 * outright; a Node started by the stand-in gets them (the -daemonize
 * child), as can the single executable (SEA `execArgv`) and a user
 * (`NODE_OPTIONS=--max-semi-space-size=1`, which Node allows there). The
 * npm command cannot pass them itself: `#!/usr/bin/env -S node ...` fails
 * on BusyBox's env (Alpine), a `#!/bin/sh` launcher fails under npm's
 * Windows shims, and starting Node a second time costs about 20 ms before
 * the QMP greeting. Neither bounds the old generation: a QMP request near
 * QEMU's 64 MiB limit still fits.
 */
export const STAND_IN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** V8 flags the stand-in command sets on itself at run time (see above). */
export const STAND_IN_RUNTIME_V8_FLAGS: readonly string[] = ['--optimize-for-size'];
