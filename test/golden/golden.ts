/**
 * Golden streams: recorded command streams with the SHA-256 of the events the engine answers
 * and its final stateHash(), so any change in behaviour shows up as a changed hash that a commit
 * must approve (`npm run golden:update` rewrites them and says which changed).
 *
 * File format (test/golden/<name>.json): { name, description, profile, commands, eventCount,
 * eventsSha256, commandDigests, stateHash }. Commands are the engine's sequenced commands as JSON
 * with money (`amountE8`, the only bigint field of a command) as a decimal string.
 * Canonical event encoding: for each command, its events as JSON with object keys sorted, bigints
 * as decimal strings and no whitespace, one line per command ending in "\n"; eventsSha256 is the
 * SHA-256 of all lines, commandDigests the first 12 hex digits of each line's own SHA-256 (they
 * locate the first command whose events changed).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrderBook } from '../../src/core/book/index.js';
import type { Command } from '../../src/core/engine/commands.js';
import { Engine } from '../../src/core/engine/engine.js';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { profileNamed } from '../oracle/profiles.js';

export const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));

export interface GoldenStream {
  readonly name: string;
  readonly description: string;
  readonly profile: string;
  readonly commands: readonly Command[];
  readonly eventCount: number;
  readonly eventsSha256: string;
  readonly commandDigests: readonly string[];
  readonly stateHash: string;
}

/** Sorted keys, bigints as decimal strings. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface Replay {
  readonly eventCount: number;
  readonly eventsSha256: string;
  readonly commandDigests: string[];
  readonly stateHash: string;
  /** Each command's canonical events line (for diff summaries). */
  readonly lines: string[];
}

export function replay(profile: string, commands: readonly Command[]): Replay {
  const engine = new Engine({ instruments: profileNamed(profile).instruments, bookFactory: createOrderBook });
  const hash = createHash('sha256');
  const lines: string[] = [];
  let eventCount = 0;
  for (const command of commands) {
    const events: EngineEvent[] = engine.apply(command);
    eventCount += events.length;
    const line = `${canonicalJson(events)}\n`;
    hash.update(line);
    lines.push(line);
  }
  return {
    eventCount, eventsSha256: hash.digest('hex'), commandDigests: lines.map((line) => sha256(line).slice(0, 12)),
    stateHash: engine.stateHash(), lines,
  };
}

/** Commands to JSON: money as decimal strings. */
export function encodeCommands(commands: readonly Command[]): unknown[] {
  return commands.map((command) => JSON.parse(JSON.stringify(command, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as unknown);
}

function decodeCommand(raw: Record<string, unknown>): Command {
  const amount = raw['amountE8'];
  return (typeof amount === 'string' ? { ...raw, amountE8: BigInt(amount) } : raw) as unknown as Command;
}

export function readGolden(file: string): GoldenStream {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as GoldenStream & { commands: Record<string, unknown>[] };
  return { ...raw, commands: raw.commands.map(decodeCommand) };
}

export function goldenFiles(): string[] {
  return readdirSync(GOLDEN_DIR).filter((name) => name.endsWith('.json')).sort().map((name) => join(GOLDEN_DIR, name));
}

export function goldenText(stream: Omit<GoldenStream, 'commands'> & { commands: readonly Command[] }): string {
  const { commands, commandDigests, ...head } = stream;
  // One command per line keeps diffs of the file readable.
  const body = encodeCommands(commands).map((command) => `    ${JSON.stringify(command)}`).join(',\n');
  const headJson = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${headJson},\n  "commandDigests": ${JSON.stringify(commandDigests)},\n  "commands": [\n${body}\n  ]\n}\n`;
}

/** What changed between a golden file and a replay of its commands, in a few lines. */
export function diffSummary(golden: GoldenStream, now: Replay): string | undefined {
  if (now.eventsSha256 === golden.eventsSha256 && now.stateHash === golden.stateHash) return undefined;
  const lines = [`${golden.name}: eventsSha256 ${golden.eventsSha256} → ${now.eventsSha256}, stateHash ${golden.stateHash} → ${now.stateHash}, events ${golden.eventCount} → ${now.eventCount}`];
  const first = now.commandDigests.findIndex((digest, i) => digest !== golden.commandDigests[i]);
  if (first >= 0) {
    const command = golden.commands[first]!;
    lines.push(`  first changed: command #${first} (seq ${command.seq}, ${command.type}) ${canonicalJson(command)}`);
    lines.push(`  its events now: ${now.lines[first]!.slice(0, 2_000).trimEnd()}`);
  } else {
    lines.push('  every command answers the same events: only the final state differs');
  }
  lines.push('  If the change is intended: npm run golden:update, and commit the new hashes with the change.');
  return lines.join('\n');
}
