// Pure geometry for the box layer: where the frame sits on screen (the same fit/zoom/pan rule as FrameCanvas),
// screen ↔ frame pixel conversion, and the drag, nudge and resize gestures, always kept whole pixels inside the frame.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Placement {
  left: number;
  top: number;
  scale: number;
}

/** FrameCanvas's placement: fit the frame in the viewport, times zoom, centred, plus pan. */
export function placeFrame(viewportWidth: number, viewportHeight: number, imageWidth: number, imageHeight: number, zoom: number, panX: number, panY: number): Placement {
  const fit = viewportWidth > 0 && viewportHeight > 0 ? Math.min(viewportWidth / imageWidth, viewportHeight / imageHeight) : 1;
  const scale = fit * zoom;
  return { scale, left: (viewportWidth - imageWidth * scale) / 2 + panX, top: (viewportHeight - imageHeight * scale) / 2 + panY };
}

/** A point in the viewport (CSS pixels from its top-left) → frame coordinates (continuous). */
export const toFrame = (p: Placement, vx: number, vy: number): { x: number; y: number } => ({ x: (vx - p.left) / p.scale, y: (vy - p.top) / p.scale });

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** The whole-pixel box spanned by two frame points, clipped to the frame. */
export function spanBox(a: { x: number; y: number }, b: { x: number; y: number }, imageWidth: number, imageHeight: number): Rect {
  const x0 = clamp(Math.floor(Math.min(a.x, b.x)), 0, imageWidth - 1);
  const y0 = clamp(Math.floor(Math.min(a.y, b.y)), 0, imageHeight - 1);
  const x1 = clamp(Math.ceil(Math.max(a.x, b.x)), x0 + 1, imageWidth);
  const y1 = clamp(Math.ceil(Math.max(a.y, b.y)), y0 + 1, imageHeight);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** A point + radius mark (centre, then a point on the rim) as its whole-pixel bounding square inside the frame. */
export function pointSquare(centre: { x: number; y: number }, rim: { x: number; y: number }, imageWidth: number, imageHeight: number): Rect {
  const maxRadius = Math.min(centre.x, centre.y, imageWidth - centre.x, imageHeight - centre.y);
  const radius = Math.max(1, Math.min(Math.round(Math.hypot(rim.x - centre.x, rim.y - centre.y)), Math.floor(maxRadius)));
  const side = 2 * radius;
  return { x: clamp(Math.round(centre.x) - radius, 0, imageWidth - side), y: clamp(Math.round(centre.y) - radius, 0, imageHeight - side), width: side, height: side };
}

/** The box moved by (dx, dy) frame pixels, kept inside the frame. */
export function moveBox(box: Rect, dx: number, dy: number, imageWidth: number, imageHeight: number): Rect {
  return { ...box, x: clamp(Math.round(box.x + dx), 0, imageWidth - box.width), y: clamp(Math.round(box.y + dy), 0, imageHeight - box.height) };
}

export type Handle = 'nw' | 'ne' | 'sw' | 'se';

/** The box with one corner dragged by (dx, dy); the opposite corner stays put; at least 1 pixel, inside the frame. */
export function resizeBox(box: Rect, handle: Handle, dx: number, dy: number, imageWidth: number, imageHeight: number, square = false): Rect {
  let x0 = box.x;
  let y0 = box.y;
  let x1 = box.x + box.width;
  let y1 = box.y + box.height;
  if (handle === 'nw' || handle === 'sw') x0 = clamp(Math.round(x0 + dx), 0, x1 - 1);
  else x1 = clamp(Math.round(x1 + dx), x0 + 1, imageWidth);
  if (handle === 'nw' || handle === 'ne') y0 = clamp(Math.round(y0 + dy), 0, y1 - 1);
  else y1 = clamp(Math.round(y1 + dy), y0 + 1, imageHeight);
  if (!square) return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  // A point + radius mark stays a square about its centre.
  const cx = (box.x * 2 + box.width) / 2;
  const cy = (box.y * 2 + box.height) / 2;
  const half = Math.max(1, Math.round(Math.max(x1 - x0, y1 - y0) / 2));
  const r = Math.min(half, Math.floor(cx), Math.floor(cy), Math.floor(imageWidth - cx), Math.floor(imageHeight - cy));
  return { x: Math.round(cx - r), y: Math.round(cy - r), width: 2 * r, height: 2 * r };
}

/** Keyboard resize of the right/bottom edges (grow > 0, shrink < 0); a square mark grows about its centre. */
export function growBox(box: Rect, dw: number, dh: number, imageWidth: number, imageHeight: number, square = false): Rect {
  if (square) return resizeBox(box, 'se', Math.max(dw, dh), Math.max(dw, dh), imageWidth, imageHeight, true);
  return { ...box, width: clamp(box.width + dw, 1, imageWidth - box.x), height: clamp(box.height + dh, 1, imageHeight - box.y) };
}
