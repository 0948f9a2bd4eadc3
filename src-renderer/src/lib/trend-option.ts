// The minute trend as an ECharts option, the same on the live dashboard and in a session report:
// online, entries, comments and GMV (each on an axis suited to its size), with product switches,
// coupons, answered talking points and annotations marked.
import type { Marker, MinutePoint } from '@contract';
import type { EChartsCoreOption } from 'echarts/core';
import { i18n } from './i18n.svelte';

const MINUTE = 60_000;
/** The trend always spans at least this many minutes, so an early session is not one stretched dot. */
const MIN_SPAN = 10 * MINUTE;

function markerName(mk: Marker): string {
  return mk.kind === 'coupon' ? `券 ${mk.label}` : mk.kind === 'point' ? `答 ${mk.label}` : mk.label;
}

export function trendOption(trend: MinutePoint[], markers: Marker[]): EChartsCoreOption {
  const t = i18n.t;
  const first = trend[0]?.t ?? Date.now();
  const last = trend.at(-1)?.t ?? first;
  return {
    grid: { left: 56, right: 110, top: 36, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: '#aab4c5' } },
    xAxis: { type: 'time', min: first, max: Math.max(last + MINUTE, first + MIN_SPAN), axisLabel: { formatter: '{HH}:{mm}', hideOverlap: true } },
    yAxis: [
      { type: 'value', splitLine: { lineStyle: { color: '#1f2837' } } },
      { type: 'value', splitLine: { show: false } },
      { type: 'value', splitLine: { show: false }, offset: 52, axisLabel: { formatter: (v: number) => `¥${v}` } },
    ],
    series: [
      { name: t('series_online'), key: 'online', yAxisIndex: 0 },
      { name: t('series_entries'), key: 'entries', yAxisIndex: 1 },
      { name: t('series_comments'), key: 'comments', yAxisIndex: 1 },
      { name: t('series_gmv'), key: 'gmvFen', yAxisIndex: 2 },
    ].map(({ name, key, yAxisIndex }, i) => ({
      name,
      type: 'line',
      yAxisIndex,
      showSymbol: trend.length < 3,
      sampling: 'lttb',
      data: trend.map((m) => [m.t, key === 'gmvFen' ? m.gmvFen / 100 : m[key as 'online' | 'entries' | 'comments']]),
      // The markers, on the first series only.
      ...(i === 0 && {
        markLine: {
          symbol: 'none',
          silent: true,
          label: { formatter: '{b}', color: '#aab4c5', fontSize: 11 },
          lineStyle: { type: 'dashed', color: '#56627a' },
          data: markers.map((mk) => ({ xAxis: mk.ts, name: markerName(mk) })),
        },
      }),
    })),
  };
}
