/**
 * The Node flags the stand-in QEMU runs best with: one list, for every
 * place that starts a Node process for it — the -daemonize child
 * (process-life.ts), the single executable's `execArgv` (scripts/
 * build-exe.mjs) and the benchmark (bench/standin.ts). For the npm
 * command, `NODE_OPTIONS="--max-semi-space-size=1"` does the same (README).
 *
 * --max-semi-space-size=1: V8 otherwise grows its young generation to its
 * default maximum under sustained churn and keeps it: measured over 25,000
 * connect/disconnect cycles, RSS levels off about 73 MB above start-up
 * (about 140 MB over netdev_add/netdev_del pairs) instead of about 43 MB,
 * at no cost in event latency or frame intake. It bounds only the young
 * generation, so a QMP request near QEMU's 64 MiB limit still fits.
 *
 * The npm bin cannot pass it: `#!/usr/bin/env -S node ...` fails on
 * BusyBox's env (Alpine), a `#!/bin/sh` launcher fails under npm's
 * Windows shims, and re-executing Node costs a second start-up (about
 * 20 ms, twice `node -e 0`) before the QMP greeting.
 */
export const STAND_IN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
