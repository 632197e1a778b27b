// The inference model file: one container holding a JSON manifest and the three ONNX graphs (encoder + compression,
// head, head with a dropout-mask input). Layout: "ANGIOINF", u32 LE format version, u32 LE manifest length,
// manifest JSON (UTF-8), then the graphs at the offsets the manifest gives (relative to the end of the manifest).
import { createHash } from 'node:crypto';
import { AppError } from '../../ipc/index.ts';
import { isKnownPreprocessing, PREPROCESSING_OPTIONS_VERSION, PREPROCESSING_VERSION } from '../../preprocessing/index.ts';
import type { InferenceManifest, ModelPart } from './manifest.ts';
import { MODEL_FILE_FORMAT_VERSION, MODEL_PARTS } from './manifest.ts';

const MAGIC = new TextEncoder().encode('ANGIOINF');

export interface ModelFile {
  manifest: InferenceManifest;
  graphs: Record<ModelPart, Uint8Array>;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The model version: a hash over every graph and the quantum weights, stable across re-exports of the same weights. */
export function modelVersionOf(graphs: Record<ModelPart, Uint8Array>, quantumWeights: number[] | null, threshold: number, temperature = 1): string {
  const hash = createHash('sha256');
  for (const part of MODEL_PARTS) hash.update(graphs[part]);
  // T = 1 hashes as files written before calibration did, so their cached results stay valid.
  hash.update(JSON.stringify(temperature === 1 ? { quantumWeights, threshold } : { quantumWeights, threshold, temperature }));
  return hash.digest('hex').slice(0, 16);
}

export function encodeModelFile(manifest: Omit<InferenceManifest, 'parts' | 'formatVersion'>, graphs: Record<ModelPart, Uint8Array>): Uint8Array {
  let offset = 0;
  const parts = {} as InferenceManifest['parts'];
  for (const part of MODEL_PARTS) {
    parts[part] = { offset, length: graphs[part].length, sha256: sha256(graphs[part]) };
    offset += graphs[part].length;
  }
  const json = new TextEncoder().encode(JSON.stringify({ ...manifest, formatVersion: MODEL_FILE_FORMAT_VERSION, parts }));
  const out = new Uint8Array(16 + json.length + offset);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, MODEL_FILE_FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, 16);
  for (const part of MODEL_PARTS) out.set(graphs[part], 16 + json.length + parts[part].offset);
  return out;
}

/** Reads a container, refusing other formats, other format versions, other preprocessing and damaged graphs. */
export function decodeModelFile(bytes: Uint8Array, source = 'model file'): ModelFile {
  if (bytes.length < 16 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new AppError('model-file-unrecognised', `${source} is not an inference model file (no ANGIOINF header): export the model from the training screen.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== MODEL_FILE_FORMAT_VERSION) {
    throw new AppError('model-version-unsupported', `${source} uses inference format version ${version}; this app reads version ${MODEL_FILE_FORMAT_VERSION}. Re-export the model with this version of the app.`, { found: version, expected: MODEL_FILE_FORMAT_VERSION });
  }
  const length = view.getUint32(12, true);
  let manifest: InferenceManifest;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + length))) as InferenceManifest;
  } catch {
    throw new AppError('model-file-corrupt', `${source} has an unreadable manifest: the file is damaged; export the model again.`);
  }
  if (!isKnownPreprocessing(manifest.preprocessing)) {
    throw new AppError('model-version-unsupported', `${source} was trained on images prepared with '${manifest.preprocessing?.version}', but this app prepares them with '${PREPROCESSING_VERSION}' (or '${PREPROCESSING_OPTIONS_VERSION}' with its recorded options). Retrain or re-export the model with this version.`, { found: manifest.preprocessing?.version, expected: PREPROCESSING_VERSION });
  }
  const graphs = {} as Record<ModelPart, Uint8Array>;
  for (const part of MODEL_PARTS) {
    const entry = manifest.parts?.[part];
    const start = 16 + length + (entry?.offset ?? -1);
    if (!entry || entry.offset < 0 || start + entry.length > bytes.length || sha256(bytes.subarray(start, start + entry.length)) !== entry.sha256) {
      throw new AppError('model-file-corrupt', `${source}: the ${part} graph is missing or altered (truncated download or disk error). Export the model again.`, { part });
    }
    graphs[part] = bytes.slice(start, start + entry.length);
  }
  return { manifest, graphs };
}
