// Stored full-frame evaluations: one row per (model version, scan and scoring parameters, boxes scored), so the
// Results screen and the experiment report show a FROC without rescanning every annotated frame with the model.
import { createHash } from 'node:crypto';
import type { Store } from '../store/index.ts';
import { listBoxes, type Box } from './box-store.ts';
import { DETECTION_SCORING_VERSION, type DetectionScore } from '../evaluation/index.ts';

/** How the frames were scanned and scored; together with the model version and the boxes it names one result. */
export interface EvaluationParams {
  patchSize: number;
  stride: number;
  hitMargin: number;
  fpRates: number[];
  /** Only these instances' boxes, or every box when null. */
  instanceIds: number[] | null;
}

export type FrameScore = DetectionScore & { frameKeys: { instanceId: number; frame: number; key: string }[] };

export interface DetectionEvaluation {
  id: number;
  modelPath: string;
  modelVersion: string;
  params: EvaluationParams;
  boxesFingerprint: string;
  createdAt: string;
  score: FrameScore;
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

export const evaluationParamsHash = (params: EvaluationParams): string =>
  hash(JSON.stringify([DETECTION_SCORING_VERSION, params.patchSize, params.stride, params.hitMargin, params.fpRates, params.instanceIds]));

/** Changes when a box is added, edited or deleted: ids with revisions, in id order. */
export const boxesFingerprint = (boxes: readonly Pick<Box, 'id' | 'revision'>[]): string =>
  hash([...boxes].sort((a, b) => a.id - b.id).map((b) => `${b.id}.${b.revision}`).join(','));

interface Row {
  id: number;
  modelPath: string;
  modelVersion: string;
  params: string;
  boxesFingerprint: string;
  createdAt: string;
  score: string;
}

const SELECT = `SELECT id, model_path AS modelPath, model_version AS modelVersion, params_json AS params, boxes_fingerprint AS boxesFingerprint,
  created_at AS createdAt, score_json AS score FROM annotation_evaluations`;

const fromRow = (row: Row): DetectionEvaluation => ({
  id: row.id,
  modelPath: row.modelPath,
  modelVersion: row.modelVersion,
  params: JSON.parse(row.params) as EvaluationParams,
  boxesFingerprint: row.boxesFingerprint,
  createdAt: row.createdAt,
  score: JSON.parse(row.score) as FrameScore,
});

export function saveEvaluation(store: Store, evaluation: Omit<DetectionEvaluation, 'id' | 'createdAt'>, at = new Date()): DetectionEvaluation {
  const createdAt = at.toISOString();
  const { lastInsertRowid } = store.db
    .prepare(
      `INSERT INTO annotation_evaluations (model_path, model_version, scoring_version, params_json, params_hash, boxes_fingerprint, score_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(evaluation.modelPath, evaluation.modelVersion, evaluation.score.version, JSON.stringify(evaluation.params), evaluationParamsHash(evaluation.params), evaluation.boxesFingerprint, JSON.stringify(evaluation.score), createdAt);
  return { ...evaluation, id: Number(lastInsertRowid), createdAt };
}

/** The newest evaluation of this model version with these parameters over exactly these boxes, if any. */
export function findEvaluation(store: Store, key: { modelVersion: string; params: EvaluationParams; boxesFingerprint: string }): DetectionEvaluation | null {
  const row = store.db
    .prepare(`${SELECT} WHERE model_version = ? AND params_hash = ? AND boxes_fingerprint = ? AND scoring_version = ? ORDER BY id DESC LIMIT 1`)
    .get(key.modelVersion, evaluationParamsHash(key.params), key.boxesFingerprint, DETECTION_SCORING_VERSION) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function evaluationById(store: Store, id: number): DetectionEvaluation | null {
  const row = store.db.prepare(`${SELECT} WHERE id = ?`).get(id) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function latestEvaluation(store: Store): DetectionEvaluation | null {
  const row = store.db.prepare(`${SELECT} ORDER BY id DESC LIMIT 1`).get() as Row | undefined;
  return row ? fromRow(row) : null;
}

/** Whether the boxes it scored are still the boxes drawn: none added, edited or deleted in its scope since. */
export function evaluationIsCurrent(store: Store, evaluation: Pick<DetectionEvaluation, 'params' | 'boxesFingerprint'>): boolean {
  return boxesFingerprint(listBoxes(store, { instanceIds: evaluation.params.instanceIds ?? undefined })) === evaluation.boxesFingerprint;
}
