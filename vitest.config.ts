import { defineConfig } from 'vitest/config';

/**
 * Three groups: everything else first, then the real-time tests of the
 * stand-in QEMU on real sockets, then the live tests against the real QEMU
 * installed on the machine (test/live), each alone, so a busy CPU (the
 * site builds, the browser tests) does not skew their timing.
 */
const REALTIME = ['test/node/real-qemu.test.ts', 'test/node/standin-lifecycle.test.ts', 'test/node/standin-sockets.test.ts'];
const LIVE = ['test/live/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Builds the stand-in's CLI bundle and native helper first.
    globalSetup: ['test/support/build-standin.ts'],
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...REALTIME, ...LIVE], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // Real time on a shared machine: two at a time, and one more try when
        // a run's timing was disturbed (a broken behaviour fails both tries).
        test: { name: 'realtime', include: REALTIME, sequence: { groupOrder: 1 }, maxConcurrency: 2, retry: 1 },
      },
      {
        extends: true,
        // Real QEMU in real time, the same way: two at a time, one more try.
        test: { name: 'live', include: LIVE, sequence: { groupOrder: 2 }, maxConcurrency: 2, retry: 1 },
      },
    ],
  },
});
