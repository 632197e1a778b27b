// The FROC figure of a full-frame evaluation: sensitivity (share of boxes hit) against false positives per frame as
// the score threshold falls, as steps on a log2 axis (the LUNA16 convention), with the reported operating points
// (sensitivity at N false positives per frame) marked; their numbers go in the table beside the figure.
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_CONFIG, MODEL_COLOURS } from './theme.ts';

export interface FrocCurveInput {
  /** In falling threshold order (false positives per frame never decrease). */
  points: readonly { fpPerFrame: number; sensitivity: number }[];
  operatingPoints: readonly { fpPerFrame: number; sensitivity: number }[];
  frames: number;
  boxes: number;
}

export const FROC_PLOT_WIDTH = 420;
const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
export const FROC_PLOT_HEIGHT = 280;

/** The log2 axis: from the smallest reported rate (1/8 by default) to the power of two that holds every point. */
export function frocAxis(input: FrocCurveInput): { start: number; end: number } {
  const rates = input.operatingPoints.map((p) => p.fpPerFrame).filter((r) => r > 0);
  const start = Math.min(0.125, ...rates);
  const reach = Math.max(1, ...rates, ...input.points.map((p) => p.fpPerFrame));
  return { start, end: 2 ** Math.ceil(Math.log2(reach)) };
}

/** The curve as steps over the axis: sensitivity reached with at most x false positives per frame. */
export function frocSteps(input: FrocCurveInput): { fp: number; sensitivity: number }[] {
  const { start, end } = frocAxis(input);
  // Points left of the axis start (fewer false positives than it) are what is reached at the start.
  const atStart = Math.max(0, ...input.points.filter((p) => p.fpPerFrame <= start).map((p) => p.sensitivity));
  const steps = [{ fp: start, sensitivity: atStart }];
  for (const p of input.points) if (p.fpPerFrame > start) steps.push({ fp: p.fpPerFrame, sensitivity: Math.max(p.sensitivity, steps.at(-1)!.sensitivity) });
  steps.push({ fp: end, sensitivity: steps.at(-1)!.sensitivity });
  return steps;
}

export function frocCurveSpec(input: FrocCurveInput, title = 'FROC: boxes hit against false positives per frame'): TopLevelSpec {
  const { start, end } = frocAxis(input);
  const ticks: number[] = [];
  for (let t = start; t <= end * 1.0001; t *= 2) ticks.push(t);
  const marks = input.operatingPoints.filter((p) => p.fpPerFrame >= start && p.fpPerFrame <= end).map((p) => ({ fp: p.fpPerFrame, sensitivity: p.sensitivity }));
  const x = {
    field: 'fp', type: 'quantitative' as const, scale: { type: 'log' as const, base: 2, domain: [start, end], nice: false },
    axis: { values: ticks, labelExpr: "datum.value < 1 ? '1/' + round(1 / datum.value) : format(datum.value, '~g')", labelOverlap: false, grid: true }, title: `False positives per frame (${count(input.frames, 'frame', 'frames')}, log scale)`,
  };
  const y = { field: 'sensitivity', type: 'quantitative' as const, scale: { domain: [0, 1], nice: false }, axis: { format: '.0%', tickCount: 5 }, title: `Sensitivity (${count(input.boxes, 'box', 'boxes')})` };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: FIGURE_CONFIG,
    width: FROC_PLOT_WIDTH,
    height: FROC_PLOT_HEIGHT,
    layer: [
      { data: { values: frocSteps(input) }, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, color: MODEL_COLOURS[0] }, encoding: { x, y } },
      { data: { values: marks }, mark: { type: 'point', filled: true, size: 55, color: MODEL_COLOURS[2], opacity: 1 }, encoding: { x, y } },
    ],
  };
}
