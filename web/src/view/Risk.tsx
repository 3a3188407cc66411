/**
 * The operator's risk console, in tabs: the overview (insurance fund, per-symbol mark, index, open
 * interest and funding, and the accounts nearest liquidation with an estimated time to liquidation
 * from the last hour's one-minute mark moves: distance / σ per minute, squared), surveillance alerts
 * with their disposition, the exact liquidation heatmap over the mark chart, and copy-trading contagion.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from '../feed/http.js';
import { format, mul, dec } from '../lib/decimal.js';
import { AlertsPanel } from './risk/Alerts.js';
import { ContagionPanel } from './risk/Contagion.js';
import { HeatmapPanel } from './risk/Heatmap.js';
import { Notice, Table, Tabs, time } from './ui.js';

const TABS = [{ id: 'overview', title: 'Overview' }, { id: 'alerts', title: 'Alerts' }, { id: 'heatmap', title: 'Heatmap' },
  { id: 'contagion', title: 'Copy contagion' }] as const;
type Tab = (typeof TABS)[number]['id'];

interface Overview {
  time: number; seq: number; insuranceFund: string; accounts: number; openPositions: number; scannedAccounts: number; truncated: boolean;
  symbols: { symbol: string; markPrice: string; indexPrice: string; openInterest: string; fundingRate: string; nextFundingTime: number }[];
  atRisk: { accountId: number; symbol: string; positionAmt: string; marginType: string; leverage: number; markPrice: string; liquidationPrice: string;
    distance: string; notional: string; unrealizedProfit: string; marginRatio: string }[];
}

const REFRESH_MS = 3_000;

/** σ of one-minute log returns of the mark over the last hour, per symbol (a display estimate, not money). */
async function volatility(symbol: string): Promise<number> {
  const rows = await get<unknown[][]>('/fapi/v1/markPriceKlines', { symbol, interval: '1m', limit: 60 });
  const closes = rows.map((row) => Number(row[4])).filter((close) => close > 0);
  if (closes.length < 3) return 0;
  const returns = closes.slice(1).map((close, i) => Math.log(close / closes[i]!));
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  return Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (returns.length - 1));
}

export function timeToLiquidation(distanceRatio: number, sigmaPerMinute: number): string {
  if (sigmaPerMinute <= 0) return '— (no moves)';
  const minutes = (Math.log(1 / Math.max(1e-12, 1 - distanceRatio)) / sigmaPerMinute) ** 2;
  if (minutes < 1) return '< 1 min';
  if (minutes < 120) return `≈ ${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `≈ ${Math.round(minutes / 60)} h`;
  return `≈ ${Math.round(minutes / 1440)} d`;
}

export function RiskPage(): JSX.Element {
  const [tab, setTab] = useState<Tab>('overview');
  const [overview, setOverview] = useState<Overview | undefined>(undefined);
  const [sigma, setSigma] = useState<Record<string, number>>({});
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const load = (): void => {
      get<Overview>('/perpx/v1/admin/risk', { limit: 50 }).then(async (answer) => {
        if (!live) return;
        setOverview(answer);
        const entries = await Promise.all(answer.symbols.map(async (s) => [s.symbol, await volatility(s.symbol)] as const));
        if (live) setSigma(Object.fromEntries(entries));
      }, (failure: unknown) => setError((failure as Error).message));
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => { live = false; window.clearInterval(timer); };
  }, []);
  return (
    <main class="page risk" data-testid="risk-page">
      <h1>Risk console</h1>
      <Tabs label="Risk console" tabs={TABS} active={tab} onSelect={setTab}>
        {tab === 'alerts' && <AlertsPanel />}
        {tab === 'heatmap' && <HeatmapPanel symbols={overview?.symbols.map((s) => s.symbol) ?? ['BTCUSDT']} />}
        {tab === 'contagion' && <ContagionPanel />}
        {tab === 'overview' && <>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      {overview !== undefined && (
        <>
          <dl class="kv wide">
            <dt>Insurance fund</dt><dd data-testid="insurance-fund">{format(overview.insuranceFund, 2, true)} USDT</dd>
            <dt>Accounts</dt><dd>{overview.accounts}</dd><dt>Open positions</dt><dd>{overview.openPositions}</dd>
            <dt>As of</dt><dd class="time">{time(overview.time)} (seq {overview.seq})</dd>
          </dl>
          <Table caption="Markets" testId="risk-markets" columns={[
            { title: 'Symbol', cell: (s: Overview['symbols'][number]) => s.symbol },
            { title: 'Mark', numeric: true, cell: (s: Overview['symbols'][number]) => s.markPrice },
            { title: 'Index', numeric: true, cell: (s: Overview['symbols'][number]) => s.indexPrice },
            { title: 'Open interest', numeric: true, cell: (s: Overview['symbols'][number]) => s.openInterest },
            { title: 'Funding rate', numeric: true, cell: (s: Overview['symbols'][number]) => `${format(mul(dec(s.fundingRate), dec('100')), 4)}%` },
            { title: 'Next funding', cell: (s: Overview['symbols'][number]) => <span class="time">{time(s.nextFundingTime)}</span> }]}
          rows={overview.symbols} rowKey={(s) => s.symbol} empty="No markets." />
          <h2>Accounts nearest liquidation</h2>
          {overview.truncated && <Notice kind="info">Only the first {overview.scannedAccounts} accounts were scanned.</Notice>}
          <Table caption="Accounts nearest liquidation" testId="at-risk" columns={[
            { title: 'Account', cell: (r: Overview['atRisk'][number]) => String(r.accountId) },
            { title: 'Symbol', cell: (r: Overview['atRisk'][number]) => `${r.symbol} ${r.marginType === 'ISOLATED' ? 'iso' : 'cross'} ${r.leverage}x` },
            { title: 'Position', numeric: true, cell: (r: Overview['atRisk'][number]) => r.positionAmt },
            { title: 'Mark', numeric: true, cell: (r: Overview['atRisk'][number]) => r.markPrice },
            { title: 'Liq. price', numeric: true, cell: (r: Overview['atRisk'][number]) => r.liquidationPrice },
            { title: 'Distance', numeric: true, cell: (r: Overview['atRisk'][number]) => `${format(mul(dec(r.distance), dec('100')), 2)}%` },
            { title: 'Margin ratio', numeric: true, cell: (r: Overview['atRisk'][number]) => `${format(mul(dec(r.marginRatio), dec('100')), 2)}%` },
            { title: 'Time to liq. (est.)', cell: (r: Overview['atRisk'][number]) => timeToLiquidation(Number(r.distance), sigma[r.symbol] ?? 0) },
            { title: 'History', cell: () => <a href="/why">liquidations</a> }]}
          rows={overview.atRisk} rowKey={(r) => `${r.accountId}${r.symbol}`} empty="No open positions with a liquidation price." />
          <p class="muted small">Not in the console yet, because the API has no route for them: the ADL ranking (queue order per symbol) and a
            cascade timeline (E4 CASCADE_IN_PROGRESS alerts appear under Alerts).</p>
        </>
      )}
        </>}
      </Tabs>
    </main>
  );
}
