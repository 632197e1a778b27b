// The views test-time augmentation averages over, applied to the model's prepared input (batch × 1 × S × S planes,
// after padding, resizing and normalisation), so every view sees exactly the pixels the plain prediction sees.
import { AppError } from '../ipc/index.ts';

/**
 * The mirror images and the half turn: an angiogram patch stays plausible under each (vessels run every way). Training
 * flips horizontally only, so the vertical flip and the half turn are views the network has not been shown.
 */
export const TEST_TIME_VIEWS = ['identity', 'hflip', 'vflip', 'rot180'] as const;
export type TestTimeView = (typeof TEST_TIME_VIEWS)[number];

/** The view sets `angio evaluate-tta` tries when none is named: the flip training also used, then all four. */
export const DEFAULT_VIEW_SETS: readonly (readonly TestTimeView[])[] = [['identity', 'hflip'], ['identity', 'hflip', 'vflip', 'rot180']];

/** "identity,hflip" → ['identity', 'hflip'], refusing unknown names and empty sets. */
export function parseViewSet(text: string): TestTimeView[] {
  const names = [...new Set(text.split(',').map((name) => name.trim()).filter((name) => name !== ''))];
  const unknown = names.filter((name) => !(TEST_TIME_VIEWS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new AppError('invalid-views', `"${text}" is not a list of views; name one or more of ${TEST_TIME_VIEWS.join(', ')}, separated by commas.`);
  }
  return names as TestTimeView[];
}

/** The view of every S × S plane of a batch; identity returns the input itself, so its prediction is the plain one. */
export function viewOfBatch(input: Float32Array, batch: number, side: number, view: TestTimeView): Float32Array {
  if (view === 'identity') return input;
  const plane = side * side;
  if (input.length !== batch * plane) throw new Error(`a batch of ${batch} planes of ${side}×${side} holds ${batch * plane} values, not ${input.length}`);
  const flipRows = view === 'vflip' || view === 'rot180';
  const flipColumns = view === 'hflip' || view === 'rot180';
  const out = new Float32Array(input.length);
  for (let b = 0; b < batch; b++) {
    const base = b * plane;
    for (let y = 0; y < side; y++) {
      const from = base + (flipRows ? side - 1 - y : y) * side;
      const to = base + y * side;
      for (let x = 0; x < side; x++) out[to + x] = input[from + (flipColumns ? side - 1 - x : x)]!;
    }
  }
  return out;
}
