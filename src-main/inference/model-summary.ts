// What the Viewer shows about a model before and beside its readouts: name, version, threshold, training set size
// and the quantum layer's circuit as drawing data (never markup), read from the loaded model's manifest.
import type { ModelSummary } from '../../src-preload/channels/inference.ts';
import { buildCircuit, circuitDrawing } from '../quantum/index.ts';
import type { InferenceManifest } from './model-file/manifest.ts';

export function modelSummary(path: string, manifest: InferenceManifest): ModelSummary {
  const { architecture } = manifest;
  const spec = architecture.circuit;
  return {
    path,
    name: manifest.name,
    modelVersion: manifest.modelVersion,
    createdAt: manifest.createdAt,
    encoder: architecture.encoder,
    imageSize: architecture.imageSize,
    threshold: manifest.threshold,
    trainingImages: manifest.training.imageCount,
    circuit: spec ? { ...spec, drawing: circuitDrawing(buildCircuit(spec)) } : null,
  };
}
