/**
 * A lead's performance curve (the profile's `performance`: the time-weighted equity index as a
 * cumulative return at each UTC midnight and now), a lightweight-charts line with a percent axis and
 * a dated time axis. Publishes its point count and last value as data attributes for tests.
 */
import { createChart, LineSeries, TickMarkType, type Time, type UTCTimestamp } from 'lightweight-charts';
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { toNumber } from '../../lib/decimal.js';
import { chartOptions, CHART_COLORS } from '../Chart.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Axis labels in UTC: days as "Dec 7" (with the year at a year's start), times as "18:24". */
function tickLabel(time: Time, type: TickMarkType): string {
  const d = new Date(Number(time) * 1000);
  if (type === TickMarkType.Year) return String(d.getUTCFullYear());
  if (type === TickMarkType.Month || type === TickMarkType.DayOfMonth) return `${MONTHS[d.getUTCMonth()]!} ${d.getUTCDate()}`;
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

export function PerformanceChart(props: { points: readonly { time: number; return: string }[] }): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current!;
    const chart = createChart(element, { ...chartOptions(), timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a3441', tickMarkFormatter: tickLabel },
      localization: { priceFormatter: (value: number) => `${value.toFixed(2)}%` } });
    const line = chart.addSeries(LineSeries, { color: CHART_COLORS.entry, lineWidth: 2, priceLineVisible: false, title: 'Return',
      priceFormat: { type: 'custom', formatter: (value: number) => `${value.toFixed(2)}%`, minMove: 0.01 } });
    // One point per second at most (the series' last sample is "now", which can share a second with nothing else).
    const seen = new Set<number>();
    const data = props.points.map((point) => ({ time: Math.floor(point.time / 1000) as UTCTimestamp, value: toNumber(point.return) }))
      .filter((point) => !seen.has(point.time) && seen.add(point.time) !== undefined);
    line.setData(data);
    chart.timeScale().fitContent();
    element.dataset['points'] = String(data.length);
    element.dataset['last'] = props.points.length === 0 ? '' : props.points[props.points.length - 1]!.return;
    return () => chart.remove();
  }, [props.points]);
  return <div ref={host} class="chart performance-chart" data-testid="performance-chart" role="group"
    aria-label="The lead's cumulative return (time-weighted, deposits and withdrawals left out), per day" />;
}
