// Whether the compiled build in dist/ is older than what it is built from, by file modification
// times (the newest source file against the oldest of the build's entry outputs). `npm start`
// builds only when it is (bin/build-if-stale.js); bin/perpx.js then runs the sources directly.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist']);

function newestMtimeMs(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (SKIPPED_DIRECTORIES.has(entry)) continue;
    newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  }
  return newest;
}

/** True when an output is missing or a source is newer; `web` includes the web UI build. */
export function isBuildStale(root, { web = true } = {}) {
  const outputs = ['dist/cli/main.js', ...(web ? ['dist/web/index.html'] : [])];
  const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json',
    ...(web ? ['web', 'vite.web.config.ts'] : [])];
  let oldestOutput = Infinity;
  for (const output of outputs) {
    try {
      oldestOutput = Math.min(oldestOutput, statSync(join(root, output)).mtimeMs);
    } catch {
      return true;
    }
  }
  return inputs.some((input) => newestMtimeMs(join(root, input)) > oldestOutput);
}
