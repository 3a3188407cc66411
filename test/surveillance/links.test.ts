/**
 * Account links added at run time (the operator's POST /admin/v1/surveillance/links) are durable: a
 * restarted host, which re-derives every alert from the journal, links the same accounts from the
 * same seq, so it raises the same alerts (here M4 on a fill between the linked accounts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alertJson, type Alert } from '../../src/surveillance/alert.js';
import { SurveillanceHost } from '../../src/surveillance/host.js';
import type { CommittedBatch } from '../../src/surveillance/source.js';
import { Script, T0 } from './support/script.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('run-time account links', () => {
  it('survive a restart: the replay links the same accounts from the same seq and raises the same alerts', () => {
    const script = new Script();
    const batches: CommittedBatch[] = [];
    const add = (events: CommittedBatch['events']): void => {
      batches.push({ fromSeq: batches.length + 1, toSeq: batches.length + 1, atMs: T0 + batches.length * 1000, events });
    };
    add([{ type: 'AccountCreated', accountId: 1, parentAccountId: 0 }, script.wallet(1, 1_000)]);
    add([{ type: 'AccountCreated', accountId: 2, parentAccountId: 0 }, script.wallet(2, 1_000)]);
    // Before the link: a fill between strangers; after it, the same fill is a wash between one owner's accounts.
    add([script.trade('BTCUSDT', 500_000, 1, 'BUY', 1, 2)]);
    add([script.trade('BTCUSDT', 500_000, 1, 'BUY', 1, 2)]);
    const dataDir = mkdtempSync(join(tmpdir(), 'perpx-links-'));
    dirs.push(dataDir);
    const run = (linkAfterSeq: number | undefined): Alert[] => {
      const host = new SurveillanceHost({ instruments: script.instruments, dataDir });
      const alerts: Alert[] = [];
      host.surveillance.onAlerts((raised) => alerts.push(...raised));
      for (const batch of batches) {
        host.surveillance.ingest(batch);
        if (batch.toSeq === linkAfterSeq) host.addLink(1, 2, 'same device');
      }
      host.close();
      return alerts;
    };
    const live = run(3);
    expect(live.filter((alert) => alert.code === 'M4').map((alert) => [alert.toSeq, alert.accountIds])).toEqual([[4, [1, 2]]]);
    const restarted = run(undefined);
    expect(restarted.map(alertJson)).toEqual(live.map(alertJson));
  });
});
