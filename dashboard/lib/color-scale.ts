/** Sequential colour scales for the heatmap: a value in [min, max] to an sRGB colour. */

type Rgb = readonly [number, number, number];

/** Scales as colour stops from low to high. */
export const SCALES = {
  blue: [[239, 246, 255], [147, 197, 253], [59, 130, 246], [30, 64, 175], [23, 37, 84]],
  heat: [[236, 253, 245], [253, 230, 138], [251, 146, 60], [225, 29, 72], [136, 19, 55]],
  violet: [[245, 243, 255], [196, 181, 253], [139, 92, 246], [91, 33, 182], [46, 16, 101]],
} as const satisfies Record<string, readonly Rgb[]>;

export type ScaleName = keyof typeof SCALES;

/** The colour of `value` between `min` and `max` on a scale (the lowest stop for no value). */
export function colourFor(scale: ScaleName, value: number | null, min: number, max: number): string {
  const stops = SCALES[scale];
  if (value === null || !Number.isFinite(value) || max <= min) return rgb(stops[0]);
  const x = Math.min(1, Math.max(0, (value - min) / (max - min))) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return rgb([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/** Dark text on light cells, white on dark ones (relative luminance). */
export function textOn(colour: string): string {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(colour);
  if (!m) return '#111827';
  const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 150 ? '#111827' : '#ffffff';
}

/** A CSS gradient through a scale's stops, for the legend. */
export function gradient(scale: ScaleName): string {
  return `linear-gradient(to right, ${SCALES[scale].map(rgb).join(', ')})`;
}

function rgb(c: Rgb): string {
  return `rgb(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])})`;
}
