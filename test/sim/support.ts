/**
 * @module test/sim/support
 * Helpers for simulator tests: where the real data lives, a skip message when it does not, and
 * building in-memory scenarios.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from '../../src/sim/data/load.js';
import { parseScenario, type LoadedScenario } from '../../src/sim/scenario/load.js';

export const DATA_DIR = defaultDataDir();
export const FIXTURES = join(import.meta.dirname, 'fixtures');

export function hasData(file: string): boolean {
  const present = existsSync(join(DATA_DIR, file));
  if (!present) console.warn(`[sim tests] ${join(DATA_DIR, file)} is absent: skipping the real-data tests that need it`);
  return present;
}

export function scenario(value: Record<string, unknown>): LoadedScenario {
  return { spec: parseScenario({ name: 'test', ...value }, 'test scenario'), baseDir: FIXTURES, source: 'test scenario' };
}
