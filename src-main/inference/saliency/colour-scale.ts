// A diverging colour scale for signed evidence maps: blue where the region argues against stenosis, red where it
// argues for it, transparent at zero, symmetric around zero so equal colours mean equal effects on the score.
export interface ColourScale {
  name: 'evidence-blue-red' | 'probability-yellow-red';
  /** |value| that maps to full colour; values beyond it saturate. */
  limit: number;
  /** Legend stops from −limit to +limit, RGB 0–255. */
  stops: { value: number; rgb: [number, number, number] }[];
  unit: string;
}

const NEGATIVE: [number, number, number] = [33, 102, 172];
const POSITIVE: [number, number, number] = [178, 24, 43];
const MAX_ALPHA = 0.75;

export function evidenceScale(values: Float32Array, unit: string): ColourScale {
  let limit = 0;
  for (let i = 0; i < values.length; i++) limit = Math.max(limit, Math.abs(values[i]!));
  limit = limit || 1;
  return {
    name: 'evidence-blue-red',
    limit,
    stops: [
      { value: -limit, rgb: NEGATIVE },
      { value: 0, rgb: [247, 247, 247] },
      { value: limit, rgb: POSITIVE },
    ],
    unit,
  };
}

/** RGBA overlay (width × height × 4) of `values` on `scale`: hue by sign, opacity by magnitude. */
export function evidenceOverlay(values: Float32Array, scale: ColourScale): Uint8Array {
  const rgba = new Uint8Array(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const t = Math.min(1, Math.abs(values[i]!) / scale.limit);
    const rgb = values[i]! >= 0 ? POSITIVE : NEGATIVE;
    rgba.set(rgb, 4 * i);
    rgba[4 * i + 3] = Math.round(255 * MAX_ALPHA * t);
  }
  return rgba;
}

const AT_FLOOR: [number, number, number] = [255, 220, 0];
const AT_ONE: [number, number, number] = [255, 0, 0];

/** The legend of probabilityOverlay: nothing drawn below `floor`, yellow at it, red at 1 (linear in between). */
export function probabilityScale(unit: string, floor = 0.5): ColourScale {
  return { name: 'probability-yellow-red', limit: 1, unit, stops: [{ value: floor, rgb: AT_FLOOR }, { value: 1, rgb: AT_ONE }] };
}

/** A sequential scale for probabilities (0–1): transparent below `floor`, then yellow to red. */
export function probabilityOverlay(values: Float32Array, floor = 0.5): Uint8Array {
  const rgba = new Uint8Array(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const t = Math.min(1, Math.max(0, (values[i]! - floor) / (1 - floor)));
    rgba[4 * i] = Math.round(AT_FLOOR[0] + (AT_ONE[0] - AT_FLOOR[0]) * t);
    rgba[4 * i + 1] = Math.round(AT_FLOOR[1] + (AT_ONE[1] - AT_FLOOR[1]) * t);
    rgba[4 * i + 2] = Math.round(AT_FLOOR[2] + (AT_ONE[2] - AT_FLOOR[2]) * t);
    rgba[4 * i + 3] = values[i]! < floor ? 0 : Math.round(255 * (0.25 + 0.5 * t));
  }
  return rgba;
}
