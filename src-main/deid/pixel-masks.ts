// Clean Pixel Data (PS3.15 E.3.1) for burned-in text: XA frames often carry names and dates drawn into the pixels,
// which no header rule can remove. Where a series' Burned In Annotation (0028,0301) is YES or absent, research
// exports say so; the user can mask rectangles per series (kept in the catalog), and every research export of that
// series' pixels has them set to zero and carries 113101 in (0012,0064).
import { AppError } from '../ipc/index.ts';
import { type Store, writeAudit } from '../store/index.ts';

/** A rectangle in the series' image grid: 0-based column x and row y of its top-left pixel, width and height in pixels. */
export interface MaskRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type BurnedIn = 'YES' | 'NO' | 'UNKNOWN';

export interface PixelCleaning {
  seriesId: number;
  /** YES when any instance says YES, UNKNOWN when any leaves it absent, NO only when every instance says NO. */
  burnedIn: BurnedIn;
  masks: MaskRect[];
  /** What a research export of the series says about burned-in text; null when the series says NO. */
  note: string | null;
}

export const MAX_MASKS = 64;
const MAX_SIDE = 65_535;

export const BURNED_IN_UNMASKED_NOTE =
  'Burned-in annotation: the source images say it is present or do not say (0028,0301); pixels were exported unchanged and may show identifying text. Mask it in the Viewer before sharing.';
export const BURNED_IN_MASKED_NOTE = 'Burned-in annotation: the source images may carry text in their pixels; the masks set for the series were applied (Clean Pixel Data).';

/** The rectangles as whole-pixel masks, or an AppError naming the first that is not one. */
export function checkedMasks(rects: readonly MaskRect[]): MaskRect[] {
  if (rects.length > MAX_MASKS) throw new AppError('pixel-masks-invalid', `A series takes at most ${MAX_MASKS} masks; ${rects.length} were given. Merge some rectangles.`);
  return rects.map((r, i) => {
    const whole = [r.x, r.y, r.width, r.height].every((v) => Number.isInteger(v) && v >= 0 && v <= MAX_SIDE);
    if (!whole || r.width === 0 || r.height === 0) {
      throw new AppError('pixel-masks-invalid', `Mask ${i + 1} (${JSON.stringify(r)}) is not a rectangle of whole pixels inside the image grid. Draw it again.`);
    }
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
}

function requireSeries(store: Store, seriesId: number): void {
  if (!store.db.prepare('SELECT 1 FROM series WHERE id = ?').get(seriesId)) {
    throw new AppError('series-not-found', `Series ${seriesId} is not in the library; it may have been removed. Refresh the list.`);
  }
}

export function seriesMasks(store: Store, seriesId: number): MaskRect[] {
  const row = store.db.prepare('SELECT rects_json AS rects FROM series_pixel_masks WHERE series_id = ?').get(seriesId) as { rects: string } | undefined;
  return row ? (JSON.parse(row.rects) as MaskRect[]) : [];
}

/** Replaces the series' masks (an empty list removes them); audited. `together` runs in the same transaction (what
 * the masks make stale, such as patches cut before them, changes with them or not at all). */
export function setSeriesMasks(store: Store, seriesId: number, rects: readonly MaskRect[], reader: string | null, now: Date = new Date(), together?: () => void): MaskRect[] {
  requireSeries(store, seriesId);
  const masks = checkedMasks(rects);
  store.transaction(() => {
    if (masks.length === 0) store.db.prepare('DELETE FROM series_pixel_masks WHERE series_id = ?').run(seriesId);
    else {
      store.db
        .prepare('INSERT INTO series_pixel_masks (series_id, rects_json, reader, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(series_id) DO UPDATE SET rects_json = excluded.rects_json, reader = excluded.reader, updated_at = excluded.updated_at')
        .run(seriesId, JSON.stringify(masks), reader, now.toISOString());
    }
    writeAudit(store, { action: 'deid.pixelMasks', objectType: 'series', objectId: String(seriesId), reader, detail: { masks } }, now);
    together?.();
  });
  return masks;
}

/** The series' Burned In Annotation, its masks and what a research export says about them. */
export function seriesPixelCleaning(store: Store, seriesId: number): PixelCleaning {
  requireSeries(store, seriesId);
  const flags = (store.db.prepare("SELECT DISTINCT coalesce(burned_in, 'UNKNOWN') AS flag FROM instances WHERE series_id = ? AND kind = 'image'").all(seriesId) as { flag: string }[]).map((r) => r.flag);
  const burnedIn: BurnedIn = flags.includes('YES') ? 'YES' : flags.length === 0 || flags.every((f) => f === 'NO') ? 'NO' : 'UNKNOWN';
  const masks = seriesMasks(store, seriesId);
  const note = masks.length > 0 ? BURNED_IN_MASKED_NOTE : burnedIn === 'NO' ? null : BURNED_IN_UNMASKED_NOTE;
  return { seriesId, burnedIn, masks, note };
}

export function instancePixelCleaning(store: Store, instanceId: number): PixelCleaning {
  const row = store.db.prepare('SELECT series_id AS seriesId FROM instances WHERE id = ?').get(instanceId) as { seriesId: number } | undefined;
  if (!row) throw new AppError('instance-not-found', `Instance ${instanceId} is not in the library; it may have been removed. Refresh the list.`);
  return seriesPixelCleaning(store, row.seriesId);
}

/** A copy of an image (any samples per pixel, interleaved) with every masked pixel set to zero (clipped to the image). */
export function maskedPixels<T extends { width: number; height: number; pixels: Uint8Array }>(image: T, masks: readonly MaskRect[]): T {
  if (masks.length === 0) return image;
  const samples = Math.max(1, Math.round(image.pixels.length / (image.width * image.height)));
  const pixels = Uint8Array.from(image.pixels);
  for (const m of masks) {
    const from = Math.min(image.width, m.x);
    const to = Math.min(image.width, m.x + m.width);
    for (let row = m.y; row < Math.min(image.height, m.y + m.height); row++) pixels.fill(0, (row * image.width + from) * samples, (row * image.width + to) * samples);
  }
  return { ...image, pixels };
}
