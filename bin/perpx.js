#!/usr/bin/env node
// Entry point of the `perpx` CLI (`npx perpx …` in the checkout): runs the compiled TypeScript in
// dist/ (built by `npm run build`, which `npm ci`/`npm install` run through the `prepare` script).
// In a checkout whose sources are newer than dist/, it runs the sources through tsx instead, so
// `npx perpx` never runs stale code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isBuildStale } from './build-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));

async function loadMain() {
  if (existsSync(`${root}/src/cli/main.ts`) && isBuildStale(root, { web: false })) {
    try {
      const { register } = await import('tsx/esm/api');
      register();
      const fromSource = await import('../src/cli/main.ts');
      process.stderr.write('perpx: dist/ is older than src/, running the sources (`npm run build` compiles them)\n');
      return fromSource.main;
    } catch {
      // tsx is a dev dependency: without it, the compiled build is all there is.
    }
  }
  return (await import('../dist/cli/main.js')).main;
}

const main = await loadMain();
main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
