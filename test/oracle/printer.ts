/**
 * Prints values as TypeScript source (bigints as `123n`), so a failing differential case is a
 * copy-pasteable reproduction: `replayScript({ profile: 'binance', steps: [...] })`.
 */
import type { Step } from './generator.js';

export function toSource(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(toSource).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, v]) => `${key}: ${toSource(v)}`);
  return `{ ${entries.join(', ')} }`;
}

export function scriptSource(profile: string, steps: readonly Step[]): string {
  const lines = steps.map((step) => `    ${toSource(step)},`);
  return [`replayScript({ profile: '${profile}', steps: [`, ...lines, '  ] });'].join('\n');
}
