import { useMemo } from 'react';
import type { TargetsResponse } from '@zdec/shared';
import { statsApi } from '../../api/endpoints';
import { AsyncBlock, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { formatMoney } from '../../i18n/format';
import { useI18n, type I18n } from '../../i18n/I18nProvider';
import { Chart } from './Chart';
import type { ChartOption } from './charts';

const BLUE = '#0b3a78';
const RED = '#c0272d';
const GOLD = '#c8932f';
const GREY = '#8a94a6';

/** Months from `from` to `to` inclusive, as yyyy-mm. */
function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while ((y < ty || (y === ty && m <= tm)) && out.length < 600) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

interface Series {
  months: string[];
  actual: (number | null)[];
  projection: (number | null)[];
}

/**
 * The cumulative line month by month up to now, and a straight projection from the last actual
 * month to the projected value at the deadline. The monthly rows may not start at the beginning of
 * time, so the line is anchored on the cumulative total the server reports.
 */
function cumulative(
  monthly: { month: string; value: number }[],
  total: number,
  atDeadline: number,
  deadline: string,
): Series {
  const sorted = [...monthly].sort((a, b) => a.month.localeCompare(b.month));
  const first = sorted[0]?.month ?? deadline.slice(0, 7);
  const last = sorted.at(-1)?.month ?? first;
  const months = monthRange(first, deadline.slice(0, 7));
  const byMonth = new Map(sorted.map((r) => [r.month.slice(0, 7), r.value]));
  const base = total - sorted.reduce((s, r) => s + r.value, 0);
  let running = base;
  const actual: (number | null)[] = [];
  const projection: (number | null)[] = [];
  const lastIndex = months.indexOf(last.slice(0, 7));
  const remaining = months.length - 1 - lastIndex;
  months.forEach((m, i) => {
    if (i <= lastIndex) {
      running += byMonth.get(m) ?? 0;
      actual.push(running);
    } else {
      actual.push(null);
    }
    if (i < lastIndex) projection.push(null);
    else if (i === lastIndex) projection.push(running);
    else projection.push(remaining > 0 ? total + ((atDeadline - total) * (i - lastIndex)) / remaining : atDeadline);
  });
  return { months, actual, projection };
}

function compact(n: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', {
    notation: 'compact',
    maximumFractionDigits: 2,
  }).format(n);
}

const baseOption = {
  grid: { left: 12, right: 12, top: 48, bottom: 8, containLabel: true },
  tooltip: { trigger: 'axis' },
  legend: { top: 8, type: 'scroll' },
  textStyle: { fontFamily: 'inherit' },
};

function monthlyOption(d: TargetsResponse, i18n: I18n): ChartOption {
  const { t, locale } = i18n;
  const rows = [...d.monthly].sort((a, b) => a.month.localeCompare(b.month));
  return {
    ...baseOption,
    tooltip: {
      trigger: 'axis',
      formatter: (
        items: { seriesIndex: number; axisValue: string; value: number; marker: string; seriesName: string }[],
      ) => {
        const lines = items.map((it) =>
          it.seriesIndex === 1
            ? `${it.marker}${it.seriesName}: ${formatMoney(Math.round(it.value * 100))}`
            : `${it.marker}${it.seriesName}: ${it.value}`,
        );
        return [items[0]?.axisValue ?? '', ...lines].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: rows.map((r) => r.month) },
    yAxis: [
      { type: 'value', name: t('targets.axisListings'), minInterval: 1 },
      {
        type: 'value',
        name: t('targets.axisYuan'),
        axisLabel: { formatter: (v: number) => compact(v, locale) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: t('targets.monthlyListed'),
        type: 'bar',
        data: rows.map((r) => r.listed),
        itemStyle: { color: BLUE },
        barMaxWidth: 36,
      },
      {
        name: t('targets.monthlyVolume'),
        type: 'bar',
        barMaxWidth: 36,
        yAxisIndex: 1,
        data: rows.map((r) => r.volumeFen / 100),
        itemStyle: { color: GOLD },
      },
    ],
  };
}

function cumulativeOption(
  s: Series,
  target: number,
  names: { actual: string; projection: string; target: string; axis: string },
  format: (v: number) => string,
  axisFormat: (v: number) => string,
  color: string,
): ChartOption {
  return {
    ...baseOption,
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? format(v) : '—'),
    },
    xAxis: { type: 'category', data: s.months, boundaryGap: false },
    yAxis: { type: 'value', name: names.axis, axisLabel: { formatter: axisFormat } },
    series: [
      {
        name: names.actual,
        type: 'line',
        data: s.actual,
        // A young ledger has a month or two: without symbols such a line would not show at all.
        showSymbol: s.actual.filter((v) => v !== null).length < 3,
        lineStyle: { width: 3, color },
        itemStyle: { color },
        areaStyle: { color, opacity: 0.08 },
      },
      {
        name: names.projection,
        type: 'line',
        data: s.projection,
        showSymbol: false,
        lineStyle: { width: 2, type: 'dashed', color: GREY },
        itemStyle: { color: GREY },
      },
      // The target as a flat series (not a mark line) so the axis always reaches it and it has a legend entry.
      {
        name: names.target,
        type: 'line',
        data: s.months.map(() => target),
        showSymbol: false,
        lineStyle: { width: 2, color: RED },
        itemStyle: { color: RED },
      },
    ],
  };
}

export default function TargetsPage() {
  const state = useQuery({ queryKey: keys.targets, queryFn: ({ signal }) => statsApi.targets(signal) });
  const { t } = useI18n();
  return (
    <div>
      <PageHeader title={t('targets.title')} subtitle={t('targets.subtitle')} />
      <AsyncBlock state={state}>{(data) => <Dashboard data={data} />}</AsyncBlock>
    </div>
  );
}

function Dashboard({ data: d }: { data: TargetsResponse }) {
  const i18n = useI18n();
  const { t, number, locale } = i18n;
  const listingsProgress = d.listings.target > 0 ? d.listings.cumulative / d.listings.target : 0;
  const volumeProgress = d.volume.targetFen > 0 ? d.volume.cumulativeFen / d.volume.targetFen : 0;

  const options = useMemo(() => {
    const listings = cumulative(
      d.monthly.map((m) => ({ month: m.month, value: m.listed })),
      d.listings.cumulative,
      d.projection.listingsAtDeadline,
      d.deadline,
    );
    const volume = cumulative(
      d.monthly.map((m) => ({ month: m.month, value: m.volumeFen / 100 })),
      d.volume.cumulativeFen / 100,
      d.projection.volumeFenAtDeadline / 100,
      d.deadline,
    );
    return {
      monthly: monthlyOption(d, i18n),
      listings: cumulativeOption(
        listings,
        d.listings.target,
        {
          actual: t('targets.cumulativeListings'),
          projection: t('targets.projection'),
          target: t('targets.target2027'),
          axis: t('targets.axisListings'),
        },
        (v) => number(Math.round(v)),
        (v) => compact(v, locale),
        BLUE,
      ),
      volume: cumulativeOption(
        volume,
        d.volume.targetFen / 100,
        {
          actual: t('targets.cumulativeVolume'),
          projection: t('targets.projection'),
          target: t('targets.target2027'),
          axis: t('targets.axisYuan'),
        },
        (v) => formatMoney(Math.round(v * 100)),
        (v) => compact(v, locale),
        GOLD,
      ),
    };
  }, [d, i18n, t, number, locale]);

  const projWindow = d.projection.window;
  return (
    <div data-testid="targets-dashboard">
      <div className="kpis">
        <Kpi
          testId="kpi-listings"
          title={t('targets.listingsKpi')}
          value={number(d.listings.cumulative)}
          target={t('targets.ofTarget', { target: number(d.listings.target) })}
          progress={listingsProgress}
          onTrack={d.projection.onTrack.listings}
          projected={t('targets.projectedAtDeadline', { value: number(Math.round(d.projection.listingsAtDeadline)) })}
        />
        <Kpi
          testId="kpi-volume"
          title={t('targets.volumeKpi')}
          value={formatMoney(d.volume.cumulativeFen)}
          target={t('targets.ofTarget', { target: formatMoney(d.volume.targetFen) })}
          progress={volumeProgress}
          onTrack={d.projection.onTrack.volume}
          projected={t('targets.projectedAtDeadline', {
            value: formatMoney(Math.round(d.projection.volumeFenAtDeadline)),
          })}
        />
        <div className="card kpi" data-testid="kpi-deadline">
          <h2 className="kpi__title">{t('targets.deadline')}</h2>
          <p className="kpi__value">{d.deadline}</p>
          <p className="muted small">{t('targets.asOf', { at: i18n.dateTime(d.asOf) })}</p>
          {projWindow && (
            <p className="muted small" data-testid="projection-window">
              {t('targets.window', { from: projWindow.from, to: projWindow.to, months: projWindow.months })}
            </p>
          )}
          <p className="muted small">{t('targets.derivedFromLedger')}</p>
        </div>
      </div>
      <div className="charts">
        <section className="card chart-card">
          <h2>{t('targets.monthlyTitle')}</h2>
          <Chart option={options.monthly} label={t('targets.monthlyTitle')} testId="chart-monthly" />
        </section>
        <section className="card chart-card">
          <h2>{t('targets.listingsChartTitle')}</h2>
          <Chart option={options.listings} label={t('targets.listingsChartTitle')} testId="chart-listings" />
        </section>
        <section className="card chart-card">
          <h2>{t('targets.volumeChartTitle')}</h2>
          <Chart option={options.volume} label={t('targets.volumeChartTitle')} testId="chart-volume" />
        </section>
      </div>
    </div>
  );
}

function Kpi({
  title,
  value,
  target,
  progress,
  onTrack,
  projected,
  testId,
}: {
  title: string;
  value: string;
  target: string;
  progress: number;
  onTrack: boolean;
  projected: string;
  testId: string;
}) {
  const { t, percent } = useI18n();
  const clamped = Math.max(0, Math.min(1, progress));
  return (
    <div className="card kpi" data-testid={testId}>
      <h2 className="kpi__title">{title}</h2>
      <p className="kpi__value">{value}</p>
      <p className="muted small">{target}</p>
      <div
        className="meter"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped * 100)}
        aria-label={title}
      >
        <div className="meter__bar" style={{ width: `${clamped * 100}%` }} />
      </div>
      <p className="kpi__progress">
        {percent(progress)}{' '}
        <span className={`badge badge--${onTrack ? 'ok' : 'warn'}`} data-testid="on-track" data-value={String(onTrack)}>
          {onTrack ? t('targets.onTrack') : t('targets.offTrack')}
        </span>
      </p>
      <p className="muted small">{projected}</p>
    </div>
  );
}
