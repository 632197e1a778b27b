// A complete inference model file from a seeded PyTorch reference model (the engine's names), built once per
// test process: the shared starting point for readout, saliency, scanning and uncertainty tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CircuitSpec } from '../../quantum/index.ts';
import type { ClassifierArchitecture } from '../export/architecture.ts';
import { exportClassifier } from '../export/export-classifier.ts';
import { decodeModelFile, type ModelFile } from '../model-file/model-file.ts';
import { labelledPatches } from './padsd.ts';
import { readTorchWeights, torchReference } from './torch-oracle.ts';

export const FIXTURE_CIRCUIT: CircuitSpec = { qubits: 4, layers: 2, rotation: 'Rot', entangler: 'cnot-ring', reupload: false };

export function fixtureArchitecture(circuit: CircuitSpec | null = FIXTURE_CIRCUIT): ClassifierArchitecture {
  return { encoder: 'mobilenet_v2', imageSize: 64, circuit, classifierHidden: 256, dropout: 0.3 };
}

export interface FixtureModel {
  dir: string;
  bytes: Uint8Array;
  file: ModelFile;
}

/** Exports the reference model of `seed` with statistics over 40 training patches. */
export async function fixtureModel(seed = 7, circuit: CircuitSpec | null = FIXTURE_CIRCUIT): Promise<FixtureModel> {
  const dir = mkdtempSync(join(tmpdir(), 'angio-inference-'));
  torchReference({ dir, seed, circuit, imageSize: 64 });
  const bytes = await exportClassifier({
    name: `reference seed ${seed}`,
    weights: readTorchWeights(dir),
    architecture: fixtureArchitecture(circuit),
    threshold: 0.5,
    trainingImages: labelledPatches('train', 20).map((p) => p.image),
  });
  return { dir, bytes, file: decodeModelFile(bytes) };
}
