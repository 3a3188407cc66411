/**
 * @module journal/manifest
 * `instruments.json` in the data directory: the instrument specs the journal was written with.
 * Replaying commands against different instruments computes a different state without any error,
 * so opening a data directory with other instruments is refused, and the tools (verify, info)
 * replay with the stored specs. Written once, atomically, when the directory is created.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstrumentSpec } from '../core/index.js';
import { writeFileAtomic } from './fs-util.js';

export const MANIFEST_NAME = 'instruments.json';
const MANIFEST_FORMAT = 'perpx-journal-instruments/1';

interface Manifest {
  readonly format: string;
  readonly instruments: InstrumentSpec[];
}

/** JSON with object keys sorted, so equal specs compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

/** The stored specs, or undefined when the directory has no manifest. */
export async function readManifest(dataDir: string): Promise<InstrumentSpec[] | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, MANIFEST_NAME), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const manifest = JSON.parse(text) as Manifest;
  if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.instruments)) {
    throw new Error(`${join(dataDir, MANIFEST_NAME)} is not a perpx instruments manifest`);
  }
  return manifest.instruments;
}

/**
 * Creates the manifest, or checks that `instruments` match the stored ones. `onAdopt` is called
 * when a manifest has to be created for a directory that already has a journal (it was deleted,
 * or the journal predates it): the given instruments are then trusted, which deserves a warning.
 */
export async function ensureManifest(dataDir: string, instruments: readonly InstrumentSpec[], fsync: boolean,
  hasJournal: boolean, onAdopt: () => void): Promise<void> {
  const stored = await readManifest(dataDir);
  if (stored === undefined) {
    if (hasJournal) onAdopt();
    const manifest: Manifest = { format: MANIFEST_FORMAT, instruments: [...instruments] };
    await writeFileAtomic(dataDir, MANIFEST_NAME, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`), fsync);
    return;
  }
  if (canonicalJson(stored) !== canonicalJson(instruments)) {
    const storedSymbols = stored.map((spec) => spec.symbol).join(',');
    const givenSymbols = instruments.map((spec) => spec.symbol).join(',');
    throw new Error(`the instruments differ from the ones ${dataDir} was written with (stored ${storedSymbols}, given ` +
      `${givenSymbols}); replaying its journal with other instruments would compute a different state`);
  }
}
