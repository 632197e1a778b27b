// What a benchmark suite returns. Every figure keeps all its repeats; the harness reports min/median/max.
// A ratio figure (unit 'ratio', peer time ÷ our time or our rate ÷ peer rate, higher is better) may carry a target.

export interface Figure {
  /** e.g. 'simulator forward Q=8 L=4 batch 256'. */
  name: string;
  /** 'samples/s', 'images/s', 'ms', 'MiB', 'ratio', … */
  unit: string;
  /** One value per repeat, in run order. */
  values: number[];
  /** For ratios and rates with a stated goal: the value the median must reach. */
  target?: number;
  /** Default true; false for times and memory, where lower is better. */
  higherIsBetter?: boolean;
  /** Why a peer is missing, what was capped, or how the figure was measured. */
  note?: string;
}

export interface SuiteOptions {
  /** Timed repeats after warm-up (at least 5 in a real run). */
  repeats: number;
  /** Tiny inputs, one repeat: `npm test` runs every suite this way to prove it still works. */
  smoke: boolean;
}

export type Suite = (options: SuiteOptions) => Promise<Figure[]>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `body` `warmup` times untimed, then `repeats` times, returning seconds per repeat. */
export async function timeRepeats(repeats: number, body: () => unknown, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await body();
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    await body();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return seconds;
}

export function isMet(figure: Figure): boolean | null {
  if (figure.target === undefined) return null;
  const value = median(figure.values);
  return figure.higherIsBetter === false ? value <= figure.target : value >= figure.target;
}
