import { describe, expect, it } from 'vitest';
import { enforceSendBudget, type Consumer } from './send-budget.js';

const LIMITS = { wsBufferPerConnectionBytes: 100, wsBufferPerClientBytes: 150, wsBufferTotalBytes: 250 };

function consumers(spec: [string, number][]): (Consumer & { dropped: boolean; name: string })[] {
  return spec.map(([clientKey, bytes], index) => {
    const consumer = { name: `${clientKey}#${index}`, clientKey, dropped: false, queuedBytes: () => bytes,
      drop: () => { consumer.dropped = true; } };
    return consumer;
  });
}

describe('WebSocket send budget', () => {
  it('drops the slowest consumers of a client over its budget, then the slowest of all over the total', () => {
    const all = consumers([['a', 90], ['a', 50], ['a', 10], ['b', 0], ['c', 80], ['d', 70], ['e', 60]]);
    // a holds exactly its 150 (kept); the total, 360, is over 250: the 90 (a) goes, then the 80 (c).
    expect(enforceSendBudget(all, LIMITS)).toBe(2);
    expect(all.filter((consumer) => consumer.dropped).map((consumer) => consumer.name)).toEqual(['a#0', 'c#4']);
  });

  it('drops within a client first, slowest first, and never a consumer with nothing queued', () => {
    const all = consumers([['a', 60], ['a', 70], ['a', 40], ['b', 0], ['b', 0]]);
    expect(enforceSendBudget(all, LIMITS)).toBe(1);
    expect(all.filter((consumer) => consumer.dropped).map((consumer) => consumer.name)).toEqual(['a#1']);
  });
});
