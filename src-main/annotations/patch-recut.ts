// Patches already cut from a series' boxes, cut again when the series' Clean Pixel Data masks change: a patch made
// before a mask was set shows the burned-in text the mask hides, and generation reuses a patch it has made before
// (same recipe, parameters and square). Each patch is recut from the frame with the new masks, at its recorded square
// and its set's output size; its dataset item keeps its id, label and split places and takes the new picture.
import { encodePng } from '../png/index.ts';
import { type BlobStore, type Store, writeAudit } from '../store/index.ts';
import { cutAndResize, type GreyFrame, type PatchParams } from './patch-recipe.ts';

export interface RecutDeps {
  store: Store;
  blobs: BlobStore;
  /** The frame as patches are cut from it, with the series' new masks applied. */
  greyFrame(instanceId: number, frame: number): Promise<GreyFrame>;
  /** The instance's millimetres per pixel at the isocenter; recorded again with the new picture. */
  mmPerPixel?(instanceId: number): number | null;
}

export interface PatchRecut {
  seriesId: number;
  /** Patches cut from the series' frames. */
  patches: number;
  /** Items whose picture changed (the others had no masked pixel inside their square). */
  updates: { itemId: number; sha: string }[];
  /** Every recut patch's scale: the frame's millimetres per pixel and the square's side in millimetres (null unknown). */
  scales: { itemId: number; mmPerPixel: number | null; sideMm: number | null }[];
}

/** Recuts every patch of the series into the blob store; nothing in the catalog changes until applyRecut. */
export async function recutSeriesPatches(deps: RecutDeps, seriesId: number): Promise<PatchRecut> {
  const rows = deps.store.db
    .prepare(
      `SELECT p.item_id AS itemId, p.instance_id AS instanceId, p.frame_index AS frame, p.x, p.y, p.side, s.params_json AS params, d.blob_sha256 AS sha
       FROM annotation_patches p JOIN instances i ON i.id = p.instance_id JOIN annotation_patch_sets s ON s.id = p.patch_set_id
       JOIN dataset_items d ON d.id = p.item_id WHERE i.series_id = ? ORDER BY p.instance_id, p.frame_index, p.item_id`,
    )
    .all(seriesId) as { itemId: number; instanceId: number; frame: number; x: number; y: number; side: number; params: string; sha: string | null }[];
  const updates: PatchRecut['updates'] = [];
  const scales: PatchRecut['scales'] = [];
  let frameKey = '';
  let grey: GreyFrame | null = null;
  for (const row of rows) {
    const key = `${row.instanceId}:${row.frame}`;
    if (key !== frameKey || !grey) {
      grey = await deps.greyFrame(row.instanceId, row.frame);
      frameKey = key;
    }
    const { outputSize } = JSON.parse(row.params) as PatchParams;
    const sha = deps.blobs.put(encodePng(outputSize, outputSize, 1, cutAndResize(grey, row, outputSize)));
    if (sha !== row.sha) updates.push({ itemId: row.itemId, sha });
    const mmPerPixel = deps.mmPerPixel?.(row.instanceId) ?? null;
    scales.push({ itemId: row.itemId, mmPerPixel, sideMm: mmPerPixel === null ? null : row.side * mmPerPixel });
  }
  return { seriesId, patches: rows.length, updates, scales };
}

/** Points the items at their recut pictures and audits it; call inside the transaction that saves the masks. */
export function applyRecut(store: Store, recut: PatchRecut, reader: string | null, now: Date = new Date()): void {
  const update = store.db.prepare('UPDATE dataset_items SET blob_sha256 = ? WHERE id = ?');
  for (const { itemId, sha } of recut.updates) update.run(sha, itemId);
  const scale = store.db.prepare('UPDATE annotation_patches SET mm_per_pixel = ?, side_mm = ? WHERE item_id = ?');
  for (const { itemId, mmPerPixel, sideMm } of recut.scales ?? []) scale.run(mmPerPixel, sideMm, itemId);
  writeAudit(store, { action: 'annotations.recutPatches', objectType: 'series', objectId: String(recut.seriesId), reader, detail: { patches: recut.patches, changed: recut.updates.length } }, now);
}
