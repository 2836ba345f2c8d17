/**
 * Geometry of a small line chart (time on x, a value on y), with no DOM: the view turns it into
 * SVG elements. Empty days stay empty; a single reading is a dot, not a line.
 */

export interface Point { t: number; v: number }
export interface SeriesIn { name: string; points: Point[] }

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: Array<{ y: number; label: string }>;
  xTicks: Array<{ x: number; label: string }>;
  series: Array<{ name: string; path: string; dots: Array<{ x: number; y: number; t: number; v: number }> }>;
}

/** A y range that includes the data (and the reference bands' usual values) with round ends. */
export function niceRange(values: number[], fallback: [number, number], step: number): [number, number] {
  if (!values.length) return fallback;
  const lo = Math.min(...values, fallback[0]);
  const hi = Math.max(...values, fallback[1]);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

export function lineChart(opts: {
  series: SeriesIn[];
  from: number;
  to: number;
  yRange: [number, number];
  yStep: number;
  width?: number;
  height?: number;
  dayLabel?: (t: number) => string;
}): ChartGeometry {
  const width = opts.width ?? 320;
  const height = opts.height ?? 160;
  const plot = { left: 40, top: 10, right: width - 10, bottom: height - 24 };
  const [y0, y1] = opts.yRange;
  const span = Math.max(1, opts.to - opts.from);
  const x = (t: number) => plot.left + ((t - opts.from) / span) * (plot.right - plot.left);
  const y = (v: number) => plot.bottom - ((v - y0) / Math.max(1e-9, y1 - y0)) * (plot.bottom - plot.top);
  const r1 = (n: number) => Math.round(n * 10) / 10;
  const yTicks = [];
  for (let v = y0; v <= y1 + 1e-9; v += opts.yStep) yTicks.push({ y: r1(y(v)), label: String(v) });
  const dayLabel = opts.dayLabel ?? ((t: number) => new Date(t).toLocaleDateString(undefined, { weekday: 'short' }));
  const xTicks = [];
  const first = new Date(opts.from);
  first.setHours(0, 0, 0, 0);
  // One label per day, at its noon; a day whose noon lies outside the range gets none.
  for (let d = new Date(first); d.getTime() < opts.to; d.setDate(d.getDate() + 1)) {
    const t = d.getTime() + 12 * 3600_000;
    if (t >= opts.from && t <= opts.to) xTicks.push({ x: r1(x(t)), label: dayLabel(d.getTime()) });
  }
  const series = opts.series.map((s) => {
    const dots = s.points.map((p) => ({ x: r1(x(p.t)), y: r1(y(p.v)), t: p.t, v: p.v }));
    const path = dots.length > 1 ? dots.map((d, i) => `${i ? 'L' : 'M'}${d.x} ${d.y}`).join(' ') : '';
    return { name: s.name, path, dots };
  });
  return { width, height, plot, yTicks, xTicks, series };
}
