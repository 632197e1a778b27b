// Display shutters (PS3.3 C.7.6.11): the parts of the frame outside the collimation the modality recorded are shown
// black. Rows and columns are 1-based as DICOM states them; a pixel stays visible only inside every given shape.

export interface ShutterShape {
  shapes: string[];
  rectangular?: { left: number; right: number; upper: number; lower: number };
  circular?: { centerRow: number; centerColumn: number; radius: number };
  /** Vertices as row, column pairs. */
  polygonal?: number[];
}

function insidePolygon(row: number, column: number, vertices: number[]): boolean {
  let inside = false;
  const n = Math.floor(vertices.length / 2);
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ri = vertices[2 * i] as number;
    const ci = vertices[2 * i + 1] as number;
    const rj = vertices[2 * j] as number;
    const cj = vertices[2 * j + 1] as number;
    if (ri > row !== rj > row && column < ((cj - ci) * (row - ri)) / (rj - ri) + ci) inside = !inside;
  }
  return inside;
}

/** 1 where the frame is visible, 0 where a shutter covers it; null when the image has no shutter. */
export function shutterMask(width: number, height: number, shutter: ShutterShape | null): Uint8Array | null {
  if (!shutter || shutter.shapes.length === 0) return null;
  const mask = new Uint8Array(width * height);
  const { rectangular: rect, circular: circle, polygonal: polygon } = shutter;
  const useRect = shutter.shapes.includes('RECTANGULAR') && rect;
  const useCircle = shutter.shapes.includes('CIRCULAR') && circle;
  const usePolygon = shutter.shapes.includes('POLYGONAL') && polygon && polygon.length >= 6;
  for (let y = 0; y < height; y++) {
    const row = y + 1;
    for (let x = 0; x < width; x++) {
      const column = x + 1;
      let visible = true;
      if (useRect) visible = column >= rect.left && column <= rect.right && row >= rect.upper && row <= rect.lower;
      if (visible && useCircle) visible = (row - circle.centerRow) ** 2 + (column - circle.centerColumn) ** 2 <= circle.radius ** 2;
      if (visible && usePolygon) visible = insidePolygon(row, column, polygon);
      mask[y * width + x] = visible ? 1 : 0;
    }
  }
  return mask;
}

const BLACK = 0xff000000 >>> 0;

export function applyShutter(pixels: Uint32Array, mask: Uint8Array | null): void {
  if (!mask) return;
  for (let i = 0; i < pixels.length; i++) if (mask[i] === 0) pixels[i] = BLACK;
}
