import { describe, expect, it } from 'vitest';
import { BAN_AFTER_429S_PER_MINUTE, ClientBans, FIRST_BAN_MS, LONGEST_BAN_MS } from './client-bans.js';

/** Sends a client over the threshold at `atMs` (all 429s inside one minute window); returns when its ban ends. */
function offend(bans: ClientBans, client: string, atMs: number): number {
  for (let i = 0; i <= BAN_AFTER_429S_PER_MINUTE; i++) bans.noteRejection(client, atMs);
  return bans.bannedUntil(client, atMs);
}

describe('client bans', () => {
  it('ban a client only once it has ignored more than the threshold of 429s in a minute, and only that client', () => {
    const bans = new ClientBans();
    const atMs = 60_000 * 100;
    for (let i = 0; i < BAN_AFTER_429S_PER_MINUTE; i++) bans.noteRejection('a', atMs);
    expect(bans.bannedUntil('a', atMs)).toBe(0);
    bans.noteRejection('a', atMs);
    expect(bans.bannedUntil('a', atMs)).toBe(atMs + FIRST_BAN_MS);
    expect(bans.bannedUntil('b', atMs)).toBe(0);
    expect(bans.bannedUntil('a', atMs + FIRST_BAN_MS)).toBe(0);
  });

  it('double each repeat ban up to 3 days, and start again at 2 minutes after a day without one', () => {
    const bans = new ClientBans();
    let atMs = 60_000 * 100;
    const lengths: number[] = [];
    for (let i = 0; i < 14; i++) {
      const until = offend(bans, 'a', atMs);
      lengths.push(until - atMs);
      atMs = until + 60_000 - (until % 60_000); // next minute window after the ban
    }
    expect(lengths.slice(0, 4)).toEqual([FIRST_BAN_MS, 2 * FIRST_BAN_MS, 4 * FIRST_BAN_MS, 8 * FIRST_BAN_MS]);
    expect(Math.max(...lengths)).toBe(LONGEST_BAN_MS);
    expect(lengths.at(-1)).toBe(LONGEST_BAN_MS);
    const later = atMs + 24 * 60 * 60_000 + 60_000;
    expect(offend(bans, 'a', later) - later).toBe(FIRST_BAN_MS);
  });
});
