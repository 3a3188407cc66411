/**
 * @module surveillance/follow
 * `perpx surveil --data-dir <dir> --follow`: surveillance in its own process beside a running venue,
 * reading what the venue journals. It replays the journal from seq 1 on a scratch engine (the same
 * code that produced it, so the same events), then polls for records appended after the last one it
 * read. A torn final record (the writer is mid-write) is simply read on the next poll. Never
 * touches the venue: it only reads the journal files.
 */
import type { Instrument } from '../core/index.js';
import { listSegments, readJournal } from '../journal/index.js';
import { freshEngine } from '../journal/recovery.js';
import type { Alert } from './alert.js';
import { SurveillanceHost, type HostOptions } from './host.js';

export const FOLLOW_POLL_MS = 1_000;

/** Follows until SIGINT / SIGTERM (or `signal` aborts); resolves after closing the audit log. */
export async function followJournal(dataDir: string, instruments: readonly Instrument[], options: Omit<HostOptions, 'instruments'>,
  onAlerts: (alerts: readonly Alert[]) => void, signal?: AbortSignal): Promise<SurveillanceHost> {
  const host = new SurveillanceHost({ ...options, instruments });
  host.onAlerts(onAlerts);
  const engine = freshEngine(instruments.map((instrument) => instrument.spec));
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  signal?.addEventListener('abort', stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!controller.signal.aborted) {
      const segments = await listSegments(dataDir);
      if (segments.length > 0) {
        await readJournal(segments, {
          fromSeq: host.surveillance.lastSeq + 1, yieldEvery: 10_000,
          onRecord: (record) => {
            const events = engine.apply(record.command);
            host.surveillance.ingest({ fromSeq: record.seq, toSeq: record.seq, atMs: record.atMs, events });
          },
        });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FOLLOW_POLL_MS);
        controller.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    host.close();
  }
  return host;
}
