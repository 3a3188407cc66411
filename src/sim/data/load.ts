/**
 * @module sim/data/load
 * Reads candle files from disk and finds the shared data directory. Relative data paths are
 * looked up next to the scenario, then in the working directory, then in the data directory:
 * $PERPX_DATA_DIR, else ../shared/data beside the repository (where CI and developers have the
 * real crash files; they are never committed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCandleCsv, CandleFormatError } from './csv.js';
import type { CandleSeries } from './candle.js';

/** Repository root: this file is src/sim/data/load.ts or dist/sim/data/load.js. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function defaultDataDir(): string {
  const fromEnv = process.env['PERPX_DATA_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return resolve(REPO_ROOT, '../shared/data');
}

/** Resolves a data file name; returns the candidates tried when none exists. */
export function resolveDataFile(file: string, baseDir?: string): { path: string | undefined; tried: string[] } {
  if (isAbsolute(file)) return { path: existsSync(file) ? file : undefined, tried: [file] };
  const tried = [
    ...(baseDir === undefined ? [] : [resolve(baseDir, file)]),
    resolve(process.cwd(), file),
    resolve(defaultDataDir(), file),
  ];
  return { path: tried.find((candidate) => existsSync(candidate)), tried };
}

export function loadCandleFile(file: string, baseDir?: string): CandleSeries {
  const { path, tried } = resolveDataFile(file, baseDir);
  if (path === undefined) {
    throw new CandleFormatError(file, 0, `file not found (looked in: ${tried.join(', ')})`);
  }
  return parseCandleCsv(readFileSync(path, 'utf8'), path);
}
