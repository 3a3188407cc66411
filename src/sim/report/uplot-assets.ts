/**
 * @module sim/report/uplot-assets
 * uPlot's script and stylesheet, read from node_modules so report.html can embed them and open
 * offline (no network, no CDN).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: { js: string; css: string } | undefined;

export function uplotAssets(): { js: string; css: string } {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  cached = {
    js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
  return cached;
}
