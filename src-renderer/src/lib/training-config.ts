// Training presets and the check of an edited configuration against the contract's own schema (the same zod
// schema main validates training.start with), so the screen can say what is wrong before anything starts.
import { trainingInvokes } from '../../../src-preload/channels/training.ts';

/**
 * quick: a minute-scale supervised check of the pipeline; full: the product model (SimCLR + quantum head) on the
 * demo's budget (experiments/demo.json: two SimCLR epochs, then gentle fine-tuning; the demo reaches test AUC 0.793
 * on P-ADSD in about 5 minutes on 2 cores, with kernels pinned by its "reproducible": true). "device": "cuda" trains
 * on a GPU with a CUDA build of the addon (docs/gpu.md).
 */
export const PRESETS = {
  quick: { method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 16, seed: 0, finetune: { epochs: 3, maxStepsPerEpoch: 40, patience: 3 } },
  full: {
    method: 'ssl-quantum', encoder: 'mobilenet_v2', imageSize: 64, batchSize: 32, seed: 1, device: 'cpu',
    pretrain: { epochs: 2, warmupSteps: 20 },
    finetune: { headEpochs: 3, epochs: 8, trainableBlocks: 19, encoderLrScale: 0.1, learningRate: 1e-3, patience: 4 },
  },
} as const;
export type PresetName = keyof typeof PRESETS;

const configSchema = trainingInvokes['training.start'].input.shape.config;

/** The contract's verdict on a configuration text: the parsed value, or one message per problem. */
export function validateConfig(text: string): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`Not JSON: ${(error as Error).message}`] };
  }
  const parsed = configSchema.safeParse(value);
  return parsed.success ? { ok: true, value } : { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`) };
}
