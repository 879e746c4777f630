// A sparkline of one forecast series for the kiosk's technician screen: the points as an SVG path
// and the device's limit as a horizontal line, both scaled into a width x height box. Pure (no DOM),
// so it is tested as it is. A glance needs no axes, zoom or tooltips; the district board draws the
// full chart with uPlot.

export interface SparklinePoint {
  at: string;
  value: number;
}

export interface Sparkline {
  /** SVG path data (`M x y L x y ...`); empty when no point has a valid time and value. */
  path: string;
  /** The limit's y in the box, or null when there is no limit. */
  limitY: number | null;
  /** The lowest and highest value shown (the limit included), for the labels. */
  min: number;
  max: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function sparkline(
  points: readonly SparklinePoint[],
  limit: number | null,
  width: number,
  height: number,
): Sparkline {
  const valid = points
    .map((point) => ({ time: Date.parse(point.at), value: point.value }))
    .filter((point) => Number.isFinite(point.time) && Number.isFinite(point.value))
    .sort((a, b) => a.time - b.time);
  if (valid.length === 0) {
    return { path: '', limitY: null, min: 0, max: 0 };
  }
  const values = valid.map((point) => point.value);
  if (limit !== null && Number.isFinite(limit)) {
    values.push(limit);
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  const first = valid[0]!.time;
  const span = valid[valid.length - 1]!.time - first;
  // A flat series (or one point) sits in the middle of the box.
  const y = (value: number) =>
    round(max === min ? height / 2 : height - ((value - min) / (max - min)) * height);
  const x = (time: number) => round(span === 0 ? width / 2 : ((time - first) / span) * width);
  const path = valid
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.time)} ${y(point.value)}`)
    .join(' ');
  return { path, limitY: limit !== null && Number.isFinite(limit) ? y(limit) : null, min, max };
}
