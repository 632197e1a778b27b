// Turns boxes into training patches: per annotated frame, decode it once, plan the squares (patch-recipe.ts), cut
// and resize them, store each as a PNG blob and a dataset item labelled positive or negative that keeps the box's
// patient and study, with its instance, frame, box and square in annotation_patches. Blobs first, rows last in one
// transaction, as ingest does; the same recipe and parameters never make the same patch twice. Each patch records its
// frame's millimetres per pixel where the header calibrates it, so a model trained on them knows their size.
import { createHash } from 'node:crypto';
import { upsertLabel } from '../ingest/index.ts';
import { encodePng } from '../png/index.ts';
import { AppError } from '../ipc/index.ts';
import { type BlobStore, type Store, writeAudit } from '../store/index.ts';
import type { Box } from './box-store.ts';
import { cutAndResize, planFramePatches, PATCH_RECIPE_VERSION, type GreyFrame, type PatchParams, type PatchRole } from './patch-recipe.ts';

export interface GeneratedPatch {
  itemId: number;
  role: PatchRole;
  label: 'positive' | 'negative';
  boxId: number | null;
  instanceId: number;
  frame: number;
  patientId: number;
  x: number;
  y: number;
  side: number;
  /** The source frame's millimetres per pixel at the isocenter, and the square's side in millimetres; null unknown. */
  mmPerPixel: number | null;
  sideMm: number | null;
  /** True when an earlier run of the same recipe and parameters had made it already. */
  existing: boolean;
}

export interface PatchSetSummary {
  patchSetId: number;
  recipe: string;
  params: PatchParams;
  paramsHash: string;
  counts: { boxes: number; frames: number; positive: number; negative: number; background: number; existing: number; skipped: Record<string, number> };
  patches: GeneratedPatch[];
}

export function checkParams(params: PatchParams): PatchParams {
  if (params.recipe !== PATCH_RECIPE_VERSION) {
    throw new AppError('recipe-unknown', `Patch recipe "${params.recipe}" is not known to this version of the app; it makes ${PATCH_RECIPE_VERSION}.`);
  }
  const bad = (what: string) => {
    throw new AppError('recipe-parameters-invalid', `${what}. Change the patch parameters and generate again.`, params);
  };
  if (!Number.isInteger(params.outputSize) || params.outputSize < 8 || params.outputSize > 512) bad(`The output size must be 8–512 pixels (got ${params.outputSize})`);
  if (!Number.isInteger(params.minSide) || params.minSide < 1) bad(`The minimum side must be a whole number of pixels ≥ 1 (got ${params.minSide})`);
  const bg = params.background;
  if (!Number.isInteger(bg.perFrame) || bg.perFrame < 0 || bg.perFrame > 100) bad(`Background patches per frame must be 0–100 (got ${bg.perFrame})`);
  if (!Number.isInteger(bg.side) || bg.side < 8 || !Number.isInteger(bg.margin) || bg.margin < 0) bad('Background patches need a side of at least 8 pixels and a margin ≥ 0');
  return params;
}

export const paramsHash = (params: PatchParams): string =>
  createHash('sha256').update(JSON.stringify(params, Object.keys(params).sort().concat(['perFrame', 'side', 'margin', 'seed']))).digest('hex').slice(0, 16);

export interface GenerationDeps {
  store: Store;
  blobs: BlobStore;
  /** The frame's 8-bit grey levels as the scanner reads them. */
  greyFrame(instanceId: number, frame: number): Promise<GreyFrame>;
  /** The instance's millimetres per pixel at the isocenter (header calibration); null where it gives none. */
  mmPerPixel?(instanceId: number): number | null;
}

export async function generatePatches(deps: GenerationDeps, boxes: readonly Box[], params: PatchParams, reader: string | null, now = new Date()): Promise<PatchSetSummary> {
  checkParams(params);
  if (boxes.length === 0) throw new AppError('no-boxes', 'There are no boxes to make patches from. Draw boxes on frames in the Viewer first.');
  const { store, blobs } = deps;
  const hash = paramsHash(params);
  const byFrame = new Map<string, Box[]>();
  for (const box of boxes) byFrame.set(`${box.instanceId}:${box.frame}`, [...(byFrame.get(`${box.instanceId}:${box.frame}`) ?? []), box]);

  const skipped: Record<string, number> = {};
  type Planned = Omit<GeneratedPatch, 'itemId' | 'existing'> & { key: string; sha: string | null; studyId: number; className: string | null; grade: string | null; boxRevision: number | null };
  const planned: Planned[] = [];
  const known = store.db.prepare('SELECT item_id AS itemId FROM annotation_patches WHERE patch_key = ?');
  const existingIds = new Map<string, number>();
  for (const frameBoxes of byFrame.values()) {
    const first = frameBoxes[0]!;
    const grey = await deps.greyFrame(first.instanceId, first.frame);
    const mmPerPixel = deps.mmPerPixel?.(first.instanceId) ?? null;
    const plan = planFramePatches(frameBoxes, grey.width, grey.height, params, first.instanceId * 100_003 + first.frame);
    for (const s of plan.skipped) skipped[`${s.role}: ${s.reason}`] = (skipped[`${s.role}: ${s.reason}`] ?? 0) + 1;
    for (const p of plan.patches) {
      const box = p.box === null ? null : frameBoxes[p.box]!;
      const key = `${hash}:${first.instanceId}:${first.frame}:${p.role}:${p.x},${p.y},${p.side}`;
      if (planned.some((q) => q.key === key)) continue;
      const found = known.get(key) as { itemId: number } | undefined;
      if (found) existingIds.set(key, found.itemId);
      const sha = found ? null : blobs.put(encodePng(params.outputSize, params.outputSize, 1, cutAndResize(grey, p, params.outputSize)));
      planned.push({
        key, sha, role: p.role, label: p.role === 'positive' ? 'positive' : 'negative', boxId: box?.id ?? null, boxRevision: box?.revision ?? null,
        instanceId: first.instanceId, frame: first.frame, patientId: first.patientId, studyId: first.studyId, x: p.x, y: p.y, side: p.side,
        mmPerPixel, sideMm: mmPerPixel === null ? null : p.side * mmPerPixel, className: box?.label ?? null, grade: box?.grade ?? null,
      });
    }
  }

  const at = now.toISOString();
  return store.transaction(() => {
    const counts: PatchSetSummary['counts'] = { boxes: boxes.length, frames: byFrame.size, positive: 0, negative: 0, background: 0, existing: 0, skipped };
    const set = store.db
      .prepare('INSERT INTO annotation_patch_sets (recipe, params_json, params_hash, counts_json, reader, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(params.recipe, JSON.stringify(params), hash, '{}', reader, at);
    const patchSetId = Number(set.lastInsertRowid);
    const labelIds = { positive: upsertLabel(store, 'positive'), negative: upsertLabel(store, 'negative') };
    const insertItem = store.db.prepare(
      `INSERT INTO dataset_items (kind, blob_sha256, width, height, patient_id, study_id, label_id, source_name, flags, created_at)
       VALUES ('png', ?, ?, ?, ?, ?, ?, ?, '', ?)`,
    );
    const insertPatch = store.db.prepare(
      `INSERT INTO annotation_patches (item_id, patch_set_id, box_id, box_revision, instance_id, frame_index, role, x, y, side, mm_per_pixel, side_mm, class_name, grade, patch_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const patches: GeneratedPatch[] = planned.map((p) => {
      const { key, sha, studyId, className, grade, boxRevision, ...rest } = p;
      const existingId = existingIds.get(key);
      if (existingId !== undefined) {
        counts.existing++;
        return { ...rest, itemId: existingId, existing: true };
      }
      const name = `instance ${p.instanceId} frame ${p.frame + 1} ${p.boxId === null ? 'background' : `box ${p.boxId}`} ${p.role}`;
      const item = insertItem.run(sha, params.outputSize, params.outputSize, p.patientId, studyId, labelIds[p.label], name, at);
      const itemId = Number(item.lastInsertRowid);
      insertPatch.run(itemId, patchSetId, p.boxId, boxRevision, p.instanceId, p.frame, p.role, p.x, p.y, p.side, p.mmPerPixel, p.sideMm, className, grade, key);
      if (p.role === 'positive') counts.positive++;
      else if (p.role === 'background') counts.background++;
      else counts.negative++;
      return { ...rest, itemId, existing: false };
    });
    store.db.prepare('UPDATE annotation_patch_sets SET counts_json = ? WHERE id = ?').run(JSON.stringify(counts), patchSetId);
    writeAudit(store, { action: 'annotations.generatePatches', objectType: 'patch-set', objectId: String(patchSetId), reader, detail: { recipe: params.recipe, paramsHash: hash, counts } });
    return { patchSetId, recipe: params.recipe, params, paramsHash: hash, counts, patches };
  });
}
