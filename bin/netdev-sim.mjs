#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader; no build step needed.
import { register } from 'tsx/esm/api';

register();
const { main, nodeIo } = await import('../src/cli/main.ts');
// main returns a promise for the commands that compress (link, open).
const status = await main(process.argv.slice(2), nodeIo);
process.exitCode = status;
