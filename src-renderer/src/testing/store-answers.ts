// Contract-valid answers of main that several store tests need (a loaded model's summary, a saliency scale).
import type { InvokeOutput, PixelMeta } from '../../../src-preload/contract.ts';

/** What inference.model answers for a model file without a quantum circuit. */
export function modelSummary(path: string, patch: Partial<InvokeOutput<'inference.model'>> = {}): InvokeOutput<'inference.model'> {
  return {
    path, name: 'SSL-Quantum stenosis', modelVersion: 'm-1', createdAt: '2026-03-01T10:00:00Z', encoder: 'resnet18', imageSize: 64,
    threshold: 0.5, trainingImages: 120, circuit: null, ...patch,
  };
}

export const probabilityScale: PixelMeta<'inference.saliency'>['scale'] = {
  name: 'P(stenosis)', limit: 1, unit: '', stops: [{ value: 0, rgb: [0, 0, 0] }, { value: 1, rgb: [255, 255, 0] }],
};
