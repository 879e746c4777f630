// The geometry of the dashboard's small SVG bar charts, apart from React so it can be tested:
// groups of bars (one group per month, one bar per series), scaled to the largest value. Pure.

export interface BarGroupLayout {
  /** Left edge of the group, in chart units. */
  x: number;
  bars: { x: number; y: number; width: number; height: number; value: number | null }[];
}

export interface BarChartLayout {
  width: number;
  height: number;
  /** The y of the zero line. */
  baseline: number;
  groupWidth: number;
  groups: BarGroupLayout[];
  /** True when no value is above zero: the chart must say why it is empty. */
  empty: boolean;
}

export const CHART = { plotHeight: 120, top: 20, labelSpace: 36, groupWidth: 80, margin: 10 } as const;

/**
 * `series[s][g]` is the value of series `s` in group `g` (null: nothing to measure, drawn as no bar).
 * Bars share one scale, so a taller bar is always a larger number.
 */
export function layoutBars(series: (number | null)[][]): BarChartLayout {
  const groupCount = Math.max(0, ...series.map((values) => values.length));
  const values = series.flat().filter((value): value is number => value !== null);
  const max = Math.max(0, ...values);
  const scale = max > 0 ? CHART.plotHeight / max : 0;
  const baseline = CHART.top + CHART.plotHeight;
  const inner = CHART.groupWidth - 20;
  const barWidth = series.length === 0 ? 0 : inner / series.length;
  const groups = Array.from({ length: groupCount }, (_, group) => {
    const x = CHART.margin + group * CHART.groupWidth;
    return {
      x,
      bars: series.map((values, index) => {
        const value = values[group] ?? null;
        const height = value === null ? 0 : value * scale;
        return { x: x + 10 + index * barWidth, y: baseline - height, width: barWidth - 2, height, value };
      }),
    };
  });
  return {
    width: CHART.margin * 2 + groupCount * CHART.groupWidth,
    height: baseline + CHART.labelSpace,
    baseline,
    groupWidth: CHART.groupWidth,
    groups,
    empty: max === 0,
  };
}
