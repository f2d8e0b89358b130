#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader; no build step needed.
import { register } from 'tsx/esm/api';

register();
const { main, nodeIo } = await import('../src/cli/main.ts');
const status = main(process.argv.slice(2), nodeIo);
process.exitCode = status;
