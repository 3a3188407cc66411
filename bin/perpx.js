#!/usr/bin/env node
// Entry point of the `perpx` CLI: runs the compiled TypeScript in dist/ (built by `npm run build`,
// which `npm ci`/`npm install` run through the `prepare` script).
import { main } from '../dist/cli/main.js';

main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
