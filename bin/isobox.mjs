#!/usr/bin/env node
// The `isobox` command: loads the TypeScript CLI through tsx, so a clone runs it after `npm install`
// with no build step. Paths come from this file's URL, so it works from any working directory, and
// the repo's own tsconfig is used, never one that happens to sit in the caller's directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import(new URL('../src/node/cli.ts', import.meta.url).href);
await main(process.argv.slice(2));
