#!/usr/bin/env node
// `npm start`'s first step: `npm run build` only when dist/ is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isBuildStale } from './build-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
if (isBuildStale(root)) {
  console.log('perpx: building (dist/ is missing or older than the sources)');
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exitCode = built.status ?? 1;
} else {
  console.log('perpx: build is current');
}
