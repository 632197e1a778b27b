// Findings and model cards in the catalog (store/migrations/reports.ts); saliency overlays as raw RGBA blobs.
import type { BlobStore, Store } from '../store/index.ts';
import type { Finding, ModelCard, OverlayScale } from './finding.ts';

interface FindingRow {
  id: number;
  study_id: number;
  instance_id: number;
  frame_index: number;
  probability: number;
  decision: 'stenosis' | 'no stenosis';
  threshold: number;
  quantum_contribution: number | null;
  model_version: string;
  saliency_sha256: string | null;
  saliency_width: number | null;
  saliency_height: number | null;
  saliency_scale_json: string | null;
  classes_json: string | null;
  candidates_json: string | null;
  created_at: string;
}

export function saveModelCard(store: Store, card: ModelCard, now = new Date()): void {
  store.db
    .prepare('INSERT INTO report_model_cards (model_version, card_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(model_version) DO UPDATE SET card_json = excluded.card_json, updated_at = excluded.updated_at')
    .run(card.modelVersion, JSON.stringify(card), now.toISOString());
}

export function modelCard(store: Store, modelVersion: string): ModelCard | null {
  const row = store.db.prepare('SELECT card_json FROM report_model_cards WHERE model_version = ?').get(modelVersion) as { card_json: string } | undefined;
  return row ? (JSON.parse(row.card_json) as ModelCard) : null;
}

/** Stores (or replaces) a finding for one frame and model; the overlay goes to the blob store first. */
export function saveFinding(store: Store, blobs: BlobStore, finding: Omit<Finding, 'id' | 'createdAt'>, now = new Date()): number {
  const sha = finding.saliency ? blobs.put(finding.saliency.rgba) : null;
  const row = store.db
    .prepare(
      `INSERT INTO report_findings (study_id, instance_id, frame_index, probability, decision, threshold, quantum_contribution, model_version,
         saliency_sha256, saliency_width, saliency_height, saliency_scale_json, classes_json, candidates_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(instance_id, frame_index, model_version) DO UPDATE SET probability = excluded.probability, decision = excluded.decision,
         threshold = excluded.threshold, quantum_contribution = excluded.quantum_contribution, saliency_sha256 = excluded.saliency_sha256,
         saliency_width = excluded.saliency_width, saliency_height = excluded.saliency_height, saliency_scale_json = excluded.saliency_scale_json,
         classes_json = excluded.classes_json, candidates_json = excluded.candidates_json, created_at = excluded.created_at
       RETURNING id`,
    )
    .get(
      finding.studyId, finding.instanceId, finding.frameIndex, finding.probability, finding.decision, finding.threshold, finding.quantumContribution,
      finding.modelVersion, sha, finding.saliency?.width ?? null, finding.saliency?.height ?? null,
      finding.saliency ? JSON.stringify(finding.saliency.scale) : null, finding.classes ? JSON.stringify(finding.classes) : null,
      finding.candidates ? JSON.stringify(finding.candidates) : null, now.toISOString(),
    ) as { id: number };
  return row.id;
}

/** A study's findings in reading order (instance, then frame); overlays are read only when `withOverlays`. */
export function studyFindings(store: Store, blobs: BlobStore, studyId: number, withOverlays = true): Finding[] {
  const rows = store.db.prepare('SELECT * FROM report_findings WHERE study_id = ? ORDER BY instance_id, frame_index, id').all(studyId) as unknown as FindingRow[];
  return rows.map((r) => ({
    id: r.id,
    studyId: r.study_id,
    instanceId: r.instance_id,
    frameIndex: r.frame_index,
    probability: r.probability,
    decision: r.decision,
    threshold: r.threshold,
    quantumContribution: r.quantum_contribution,
    modelVersion: r.model_version,
    createdAt: r.created_at,
    classes: r.classes_json ? (JSON.parse(r.classes_json) as Finding['classes']) : null,
    candidates: r.candidates_json ? (JSON.parse(r.candidates_json) as Finding['candidates']) : null,
    saliency:
      r.saliency_sha256 && withOverlays
        ? { width: r.saliency_width as number, height: r.saliency_height as number, rgba: blobs.read(r.saliency_sha256), scale: JSON.parse(r.saliency_scale_json as string) as OverlayScale }
        : null,
  }));
}

export function hasSaliency(store: Store, findingId: number): boolean {
  return Boolean((store.db.prepare('SELECT saliency_sha256 FROM report_findings WHERE id = ?').get(findingId) as { saliency_sha256: string | null } | undefined)?.saliency_sha256);
}
