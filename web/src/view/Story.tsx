/** The guided walkthrough of the story (operator, manual price mode): each step moves the market and shows the liquidation price moving. */
import { createChart, LineSeries, LineStyle } from 'lightweight-charts';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, get, sendJson } from '../feed/http.js';
import { format, toNumber } from '../lib/decimal.js';
import { chartOptions, CHART_COLORS } from './Chart.js';
import { Notice, Table } from './ui.js';

interface LogEntry {
  label: string; markPrice: string; positionAmt: string; entryPrice: string; liquidationPrice: string; walletBalance: string;
  unrealizedProfit: string; marginBalance: string; availableBalance: string; liquidationId: number;
}
interface Story {
  available: boolean; traderAccountId: number; steps: { index: number; title: string; text: string; done: boolean }[]; next: number;
  liquidated: boolean; log: LogEntry[];
}

function StoryChart(props: { log: LogEntry[] }): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = createChart(host.current!, { ...chartOptions(), timeScale: { visible: false }, handleScroll: false, handleScale: false });
    const mark = chart.addSeries(LineSeries, { color: CHART_COLORS.mark, lineWidth: 2, title: 'Mark' });
    const liq = chart.addSeries(LineSeries, { color: CHART_COLORS.liq, lineWidth: 2, lineStyle: LineStyle.Dashed, title: 'Liq. price' });
    // One point per step: the horizontal axis counts steps, not time.
    mark.setData(props.log.map((entry, i) => ({ time: (i + 1) as never, value: toNumber(entry.markPrice) })));
    liq.setData(props.log.flatMap((entry, i) => (toNumber(entry.liquidationPrice) > 0 ? [{ time: (i + 1) as never, value: toNumber(entry.liquidationPrice) }] : [])));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [props.log]);
  return <div ref={host} class="chart story-chart" role="group" aria-label="Mark price and liquidation price at each step" />;
}

export function StoryPage(): JSX.Element {
  const [story, setStory] = useState<Story | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => { get<Story>('/perpx/v1/admin/story').then(setStory, (failure: unknown) => setError((failure as Error).message)); }, []);
  const act = async (path: string): Promise<void> => {
    setBusy(true);
    setError('');
    try {
      setStory(await sendJson<Story>('POST', path));
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.message : 'The step failed.');
    } finally {
      setBusy(false);
    }
  };
  const liquidationId = story?.log.find((entry) => entry.liquidationId > 0)?.liquidationId ?? 0;
  return (
    <main class="page story" data-testid="story-page">
      <h1>The story: 150 USDT at 100x</h1>
      <p class="muted">A trader with about 1,000 yuan shorts BTC at 100x, rolls his paper profit into bigger shorts, and the rebound takes everything.
        Each step runs on this venue (manual price mode): a market maker quotes, the index moves, the engine computes the liquidation price.</p>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      {story !== undefined && !story.available && <Notice kind="info">Start perpx serve with --price-source manual to run the walkthrough.</Notice>}
      {story !== undefined && (
        <>
          <ol class="steps">
            {story.steps.map((step) => (
              <li class={step.done ? 'done' : step.index === story.next ? 'current' : ''} aria-current={step.index === story.next ? 'step' : undefined}>
                <strong>{step.title}</strong> — {step.text}
              </li>
            ))}
          </ol>
          <div class="toolbar">
            <button type="button" class="primary" data-testid="story-next" disabled={busy || story.next < 0 || !story.available}
              onClick={() => void act('/perpx/v1/admin/story/next')}>{busy ? 'Running…' : story.next < 0 ? 'Finished' : `Run: ${story.steps[story.next]?.title ?? ''}`}</button>
            <button type="button" disabled={busy} onClick={() => void act('/perpx/v1/admin/story/reset')}>Start again</button>
            {liquidationId > 0 && <a href={`/why/${liquidationId}`} data-testid="story-why">Why was he liquidated?</a>}
          </div>
          {story.log.length > 0 && <StoryChart log={story.log} />}
          <Table caption="The trader after each step" testId="story-log" columns={[
            { title: 'Step', cell: (e: LogEntry) => e.label }, { title: 'Mark', numeric: true, cell: (e: LogEntry) => format(e.markPrice, 1, true) },
            { title: 'Position', numeric: true, cell: (e: LogEntry) => e.positionAmt },
            { title: 'Entry', numeric: true, cell: (e: LogEntry) => (e.entryPrice === '0' ? '—' : format(e.entryPrice, 2, true)) },
            { title: 'Liq. price', numeric: true, cell: (e: LogEntry) => (e.liquidationPrice === '0' ? 'none' : format(e.liquidationPrice, 2, true)) },
            { title: 'Wallet', numeric: true, cell: (e: LogEntry) => format(e.walletBalance, 2, true) },
            { title: 'Unrealized', numeric: true, cell: (e: LogEntry) => format(e.unrealizedProfit, 2, true) },
            { title: 'Available', numeric: true, cell: (e: LogEntry) => format(e.availableBalance, 2, true) }]}
          rows={story.log} rowKey={(e) => `${e.label}${e.markPrice}`} empty="Run the first step." />
        </>
      )}
    </main>
  );
}
