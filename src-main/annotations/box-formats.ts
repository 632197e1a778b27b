// Boxes in files other tools read: CSV, JSON and Pascal VOC XML (the format ADSD's annotations come in). Pure
// functions over text. A frame is named portably by its (de-identified) SOP Instance UID and its 1-based frame
// number, as DICOM counts frames. Geometry: CSV and JSON carry x, y (0-based, top-left pixel) with width and height
// in pixels; VOC carries xmin/ymin/xmax/ymax 1-based and inclusive, as the VOC devkit defines them.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AppError } from '../ipc/index.ts';

export interface PortableBox {
  sopInstanceUid: string;
  frameNumber: number;
  shape: 'box' | 'point';
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  grade: string | null;
  reader: string | null;
}

export const BOX_FORMAT = 'angio-boxes';
export const BOX_FORMAT_VERSION = 1;
export const CSV_COLUMNS = ['sop_instance_uid', 'frame_number', 'shape', 'x', 'y', 'width', 'height', 'label', 'grade', 'reader'] as const;

// --- CSV (RFC 4180) -----------------------------------------------------------------------------------------------

const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function boxesToCsv(boxes: readonly PortableBox[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const b of boxes) {
    lines.push([b.sopInstanceUid, b.frameNumber, b.shape, b.x, b.y, b.width, b.height, b.label, b.grade, b.reader].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    record.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"', i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') (quoted = true, wasQuoted = true, (field = ''));
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endField();
      if (record.some((f) => f !== '')) records.push(record);
      record = [];
    } else field += c;
  }
  endField();
  if (record.some((f) => f !== '')) records.push(record);
  return records;
}

const integer = (value: string | undefined, what: string, where: string): number => {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(n)) {
    throw new AppError('box-file-invalid', `${where}: ${what} must be a whole number of pixels, got "${value ?? ''}".`);
  }
  return n;
};

export function boxesFromCsv(text: string, source = 'the CSV file'): PortableBox[] {
  const [header, ...rows] = csvRecords(text.replace(/^\uFEFF/, ''));
  const names = (header ?? []).map((h) => h.toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !['grade', 'reader', 'shape'].includes(c) && !names.includes(c));
  if (missing.length > 0) throw new AppError('box-file-invalid', `${source} lacks the columns ${missing.join(', ')}; expected ${CSV_COLUMNS.join(', ')}.`);
  return rows.map((row, i) => {
    const get = (name: string) => {
      const at = names.indexOf(name);
      return at >= 0 ? row[at] : undefined;
    };
    const where = `${source} line ${i + 2}`;
    const shape = (get('shape') || 'box').toLowerCase();
    if (shape !== 'box' && shape !== 'point') throw new AppError('box-file-invalid', `${where}: shape must be box or point, got "${shape}".`);
    return {
      sopInstanceUid: get('sop_instance_uid') ?? '',
      frameNumber: integer(get('frame_number'), 'frame_number', where),
      shape,
      x: integer(get('x'), 'x', where),
      y: integer(get('y'), 'y', where),
      width: integer(get('width'), 'width', where),
      height: integer(get('height'), 'height', where),
      label: get('label') ?? '',
      grade: get('grade') || null,
      reader: get('reader') || null,
    };
  });
}

// --- JSON ---------------------------------------------------------------------------------------------------------

export function boxesToJson(boxes: readonly PortableBox[], classList: unknown): string {
  return `${JSON.stringify({ format: BOX_FORMAT, version: BOX_FORMAT_VERSION, geometry: 'x,y 0-based top-left pixel; width,height in pixels; frameNumber 1-based', classList, boxes }, null, 2)}\n`;
}

export function boxesFromJson(text: string, source = 'the JSON file'): PortableBox[] {
  let data: { format?: string; boxes?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch (error) {
    throw new AppError('box-file-invalid', `${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (data.format !== BOX_FORMAT || !Array.isArray(data.boxes)) {
    throw new AppError('box-file-invalid', `${source} is not an ${BOX_FORMAT} file (it needs "format": "${BOX_FORMAT}" and a "boxes" list).`);
  }
  return (data.boxes as Record<string, unknown>[]).map((b, i) => {
    const where = `${source} box ${i + 1}`;
    const num = (key: string) => integer(b[key] === undefined ? undefined : String(b[key]), key, where);
    const shape = b.shape === 'point' ? 'point' : 'box';
    return {
      sopInstanceUid: String(b.sopInstanceUid ?? ''),
      frameNumber: num('frameNumber'),
      shape,
      x: num('x'),
      y: num('y'),
      width: num('width'),
      height: num('height'),
      label: String(b.label ?? ''),
      grade: typeof b.grade === 'string' && b.grade !== '' ? b.grade : null,
      reader: typeof b.reader === 'string' && b.reader !== '' ? b.reader : null,
    };
  });
}

// --- Pascal VOC XML -----------------------------------------------------------------------------------------------

export interface VocFrame {
  sopInstanceUid: string;
  frameNumber: number;
  width: number;
  height: number;
  boxes: readonly PortableBox[];
}

/** The file name a frame's VOC document describes: <uid>_<frame number, 4 digits>.png. */
export const vocImageName = (sopInstanceUid: string, frameNumber: number): string => `${sopInstanceUid}_${String(frameNumber).padStart(4, '0')}.png`;

/** One VOC annotation document for one frame. The builder escapes &, <, >, " and ' in every value. */
export function frameToVoc(frame: VocFrame): string {
  const builder = new XMLBuilder({ format: true, indentBy: '  ', processEntities: true, suppressEmptyNode: false });
  const annotation = {
    folder: 'angio-ssl-quantum',
    filename: vocImageName(frame.sopInstanceUid, frame.frameNumber),
    source: { database: 'Angio SSL-Quantum', annotation: `${BOX_FORMAT} v${BOX_FORMAT_VERSION}`, image: `DICOM ${frame.sopInstanceUid} frame ${frame.frameNumber}` },
    size: { width: frame.width, height: frame.height, depth: 1 },
    segmented: 0,
    object: frame.boxes.map((b) => ({
      name: b.label,
      pose: 'Unspecified',
      truncated: 0,
      difficult: 0,
      bndbox: { xmin: b.x + 1, ymin: b.y + 1, xmax: b.x + b.width, ymax: b.y + b.height },
      ...(b.grade !== null ? { grade: b.grade } : {}),
      ...(b.reader !== null ? { reader: b.reader } : {}),
      ...(b.shape === 'point' ? { point: { x: b.x + b.width / 2, y: b.y + b.height / 2, radius: b.width / 2 } } : {}),
    })),
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ annotation }) as string}`;
}

export interface ParsedVoc {
  filename: string | null;
  width: number | null;
  height: number | null;
  /** The frame the file names (from <filename> written by frameToVoc), when it does. */
  sopInstanceUid: string | null;
  frameNumber: number | null;
  boxes: Omit<PortableBox, 'sopInstanceUid' | 'frameNumber'>[];
}

/**
 * Reads a VOC annotation (ADSD's or ours). `zeroBased` reads xmin/ymin as 0-based and xmax/ymax as exclusive, the
 * convention of tools that write pixel edges rather than VOC's 1-based inclusive pixels.
 */
export function vocToFrame(text: string, options: { zeroBased?: boolean; source?: string } = {}): ParsedVoc {
  const source = options.source ?? 'the VOC file';
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true, isArray: (name, path) => path === 'annotation.object' });
  let doc: { annotation?: Record<string, unknown> };
  try {
    doc = parser.parse(text, true) as typeof doc;
  } catch (error) {
    throw new AppError('box-file-invalid', `${source} is not well-formed XML: ${(error as Error).message}`);
  }
  const root = doc.annotation;
  if (!root || typeof root !== 'object') throw new AppError('box-file-invalid', `${source} has no <annotation> root: it is not a Pascal VOC annotation.`);
  const size = (root.size ?? {}) as Record<string, string>;
  const filename = typeof root.filename === 'string' ? root.filename : null;
  const named = filename?.match(/^(.+)_(\d+)\.[A-Za-z0-9]+$/);
  const objects = (root.object ?? []) as Record<string, unknown>[];
  const whole = (value: unknown, what: string, where: string): number => {
    const n = Number(value);
    if (typeof value !== 'string' || value === '' || !Number.isFinite(n)) throw new AppError('box-file-invalid', `${where}: <${what}> must be a number, got "${String(value ?? '')}".`);
    return Math.round(n);
  };
  const shift = options.zeroBased ? 0 : 1;
  return {
    filename,
    width: size.width ? Number(size.width) : null,
    height: size.height ? Number(size.height) : null,
    sopInstanceUid: named ? named[1]! : null,
    frameNumber: named ? Number(named[2]) : null,
    boxes: objects.map((o, i) => {
      const where = `${source} object ${i + 1}`;
      const box = (o.bndbox ?? {}) as Record<string, unknown>;
      const xmin = whole(box.xmin, 'xmin', where);
      const ymin = whole(box.ymin, 'ymin', where);
      const xmax = whole(box.xmax, 'xmax', where);
      const ymax = whole(box.ymax, 'ymax', where);
      // 1-based inclusive: x = xmin − 1, width = xmax − xmin + 1; 0-based exclusive: x = xmin, width = xmax − xmin.
      const x = xmin - shift;
      const y = ymin - shift;
      const width = xmax - x;
      const height = ymax - y;
      if (width < 1 || height < 1) throw new AppError('box-file-invalid', `${where}: the box (${xmin}, ${ymin})–(${xmax}, ${ymax}) is empty.`);
      return {
        shape: o.point ? 'point' : 'box',
        x,
        y,
        width,
        height,
        label: typeof o.name === 'string' ? o.name : '',
        grade: typeof o.grade === 'string' && o.grade !== '' ? o.grade : null,
        reader: typeof o.reader === 'string' && o.reader !== '' ? o.reader : null,
      };
    }),
  };
}
