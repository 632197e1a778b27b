// One valid call per native export, with what each argument position holds: the fuzz child mutates these.
// The table is keyed by the export's name (`fn`, `object.fn`, `Class`, `Class#method`) and the child checks it
// against the addon's real exports, so an export without a case here fails the fuzz test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArgumentKind } from './fuzz-values.ts';

export interface FuzzCall {
  args: unknown[];
  kinds: ArgumentKind[];
  /** `this` for a prototype method: a live session unless the case says otherwise. */
  self?: object;
}

/** The addon as the fuzz sees it: anything may be called with anything. */
export type AnyAddon = Record<string, unknown> & {
  TrainingSession: new (spec: unknown) => Record<string, (...args: unknown[]) => unknown>;
};

export const SIDE = 16;

export function sessionSpec(): Record<string, unknown> {
  return {
    model: { encoder: 'simple_cnn', quantumFusion: true, qubits: 2, layers: 1, projectionHidden: 8, projectionDim: 4, classifierHidden: 4, dropout: 0 },
    augment: { rotationDegrees: 5, horizontalFlip: true, mean: 0.5, std: 0.25 },
    imageSize: SIDE,
    seed: 1,
    threads: 1,
    deterministic: true,
  };
}

export function pixels(count: number): Uint8Array {
  return Uint8Array.from({ length: count * SIDE * SIDE }, (_, i) => (i * 37) % 251);
}

function pretrainStage(): Record<string, unknown> {
  return { kind: 'pretrain', imageSet: 'train', learningRate: 1e-3, weightDecay: 0, totalSteps: 10, warmupSteps: 1, temperature: 0.2 };
}

/** A small labelled session in its pretrain stage, the `this` of every method case. */
export function liveSession(addon: AnyAddon): Record<string, (...args: unknown[]) => unknown> {
  const session = new addon.TrainingSession(sessionSpec());
  session.setImages!('train', pixels(4), Int32Array.of(0, 1, 0, 1), SIDE);
  session.configureStage!(pretrainStage());
  return session;
}

export interface FuzzFiles {
  folder: string;
  checkpoint: string;
  model: string;
}

/** A checkpoint and a model file for the load calls, written by a valid session. */
export async function fuzzFiles(addon: AnyAddon): Promise<FuzzFiles> {
  const folder = mkdtempSync(join(tmpdir(), 'binding-fuzz-'));
  const files = { folder, checkpoint: join(folder, 'a.ckpt'), model: join(folder, 'a.model') };
  const session = liveSession(addon);
  await session.saveCheckpoint!(files.checkpoint, '{}');
  await session.exportModel!(files.model, '{}');
  return files;
}

/** A 2×2 8-bit JPEG lossless stream (predictor 1, one Huffman code '0' for difference 0): four samples of 128. */
function tinyLosslessJpeg(): Uint8Array {
  const sof3 = [0xff, 0xc3, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00];
  const dht = [0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, ...new Array<number>(15).fill(0), 0x00];
  const sos = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00];
  return Uint8Array.from([0xff, 0xd8, ...sof3, ...dht, ...sos, 0x0f, 0xff, 0xd9]);
}

const circuit = () => ({ qubits: 2, layers: 1, rotation: 'RY', entangler: 'cnot-ring', reupload: false });
const probeCircuit = () => ({ qubits: 2, layers: 1, rotation: 'Rot', entangler: 'CnotRing', reupload: false });

export function fuzzCases(files: FuzzFiles): Record<string, () => FuzzCall> {
  const out = (name: string) => join(files.folder, name);
  return {
    version: () => ({ args: [], kinds: [] }),
    quantumHardwareThreads: () => ({ args: [], kinds: [] }),
    runtimeInfo: () => ({ args: [], kinds: [] }),
    jpegLosslessDecode: () => ({ args: [tinyLosslessJpeg(), 16], kinds: ['u8', 'number'] }),
    quantumParamCount: () => ({ args: [circuit()], kinds: ['object'] }),
    quantumForward: () => ({ args: [circuit(), new Float64Array(4), new Float64Array(2), { threads: 1 }], kinds: ['object', 'f64', 'f64', 'object'] }),
    quantumForwardAsync: () => ({ args: [circuit(), new Float64Array(4), new Float64Array(2), { threads: 1 }], kinds: ['object', 'f64', 'f64', 'object'] }),
    quantumBackward: () => ({
      args: [circuit(), new Float64Array(4), new Float64Array(2), new Float64Array(4), { threads: 1 }],
      kinds: ['object', 'f64', 'f64', 'f64', 'object'],
    }),
    quantumBackwardAsync: () => ({
      args: [circuit(), new Float64Array(4), new Float64Array(2), new Float64Array(4), { threads: 1 }],
      kinds: ['object', 'f64', 'f64', 'f64', 'object'],
    }),
    quantumState: () => ({ args: [circuit(), new Float64Array(2), new Float64Array(2)], kinds: ['object', 'f64', 'f64'] }),
    'engineProbes.ntXent': () => ({ args: [new Float32Array(8).fill(0.5), new Float32Array(8).fill(0.25), 2, 4, 0.2], kinds: ['f32', 'f32', 'number', 'number', 'number'] }),
    'engineProbes.quantumLayer': () => ({
      args: [probeCircuit(), new Float32Array(4), new Float32Array(6), new Float32Array(4)],
      kinds: ['object', 'f32', 'f32', 'f32'],
    }),
    TrainingSession: () => ({ args: [sessionSpec()], kinds: ['object'] }),
    'TrainingSession#setImages': () => ({ args: ['more', pixels(3), Int32Array.of(0, 1, 1), SIDE], kinds: ['string', 'u8', 'i32', 'number'] }),
    'TrainingSession#imageCount': () => ({ args: ['train'], kinds: ['string'] }),
    'TrainingSession#configureStage': () => ({ args: [{ ...pretrainStage(), classWeights: [1, 2] }], kinds: ['object'] }),
    'TrainingSession#learningRateAt': () => ({ args: [3], kinds: ['number'] }),
    'TrainingSession#step': () => ({ args: [Int32Array.of(0, 1)], kinds: ['i32'] }),
    'TrainingSession#stepOnViews': () => ({ args: [new Float32Array(2 * 2 * SIDE * SIDE).fill(0.1), 2, null], kinds: ['f32', 'number', 'i32'] }),
    'TrainingSession#previewViews': () => ({ args: ['train', Int32Array.of(0, 3), 5, 1, true], kinds: ['string', 'i32', 'number', 'number', 'bool'] }),
    'TrainingSession#embed': () => ({ args: ['train'], kinds: ['string'] }),
    'TrainingSession#predict': () => ({ args: ['train'], kinds: ['string'] }),
    'TrainingSession#predictClasses': () => ({ args: ['train'], kinds: ['string'] }),
    'TrainingSession#knnScores': () => ({ args: ['train', 'train', 2, true], kinds: ['string', 'string', 'number', 'bool'] }),
    'TrainingSession#saveCheckpoint': () => ({ args: [out('b.ckpt'), '{}'], kinds: ['path', 'string'] }),
    'TrainingSession#loadCheckpoint': () => ({ args: [files.checkpoint], kinds: ['path'] }),
    'TrainingSession#exportModel': () => ({ args: [out('b.model'), '{}'], kinds: ['path', 'string'] }),
    'TrainingSession#importModel': () => ({ args: [files.model, ['encoder', 'projector']], kinds: ['path', 'list'] }),
    'TrainingSession#parameters': () => ({ args: [true], kinds: ['bool'] }),
    'TrainingSession#parameterCount': () => ({ args: ['encoder'], kinds: ['string'] }),
    'TrainingSession#featureDim': () => ({ args: [], kinds: [] }),
    'TrainingSession#blockCount': () => ({ args: [], kinds: [] }),
    'TrainingSession#classCount': () => ({ args: [], kinds: [] }),
    'TrainingSession#close': () => ({ args: [], kinds: [] }),
    // A group of one on loopback forms at once; a free high port per process keeps parallel fuzz runs apart.
    'TrainingSession#joinGroup': () => ({
      args: [{ host: '127.0.0.1', port: 20000 + (process.pid % 20000), worldSize: 1, rank: 0, token: 'fuzz-token-0123456789', timeoutMs: 5000 }],
      kinds: ['object'],
    }),
    'TrainingSession#leaveGroup': () => ({ args: [], kinds: [] }),
    'TrainingSession#groupStats': () => ({ args: [], kinds: [] }),
    'TrainingSession#replicasAgree': () => ({ args: [], kinds: [] }),
  };
}

/** Every function the addon exports, named as the case table names them. */
export function exportedNames(addon: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(addon)) {
    if (typeof value === 'function') {
      names.push(key);
      const prototype = (value as { prototype?: object }).prototype ?? {};
      for (const method of Object.getOwnPropertyNames(prototype)) {
        if (method !== 'constructor') names.push(`${key}#${method}`);
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [inner, fn] of Object.entries(value)) if (typeof fn === 'function') names.push(`${key}.${inner}`);
    }
  }
  return names.sort();
}
