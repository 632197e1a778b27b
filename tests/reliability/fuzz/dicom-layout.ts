// Where the elements of a DICOM file lie (tag, VR, length field, value), found by a forgiving walk of the top-level
// data set, so the mutators can aim at length fields, transfer syntaxes and codec streams instead of random bytes.
// Pure; knows nothing of the app's reader, so a bug there cannot hide here.

export interface ElementSpan {
  tag: number;
  vr: string | null;
  /** Offset of the tag. */
  start: number;
  /** Offset and width (2 or 4) of the length field. */
  lengthAt: number;
  lengthBytes: 2 | 4;
  /** Offset of the value and its declared length (0xffffffff = undefined length). */
  valueAt: number;
  length: number;
}

export interface DicomLayout {
  hasPreamble: boolean;
  /** Offset where the data set after the file meta starts. */
  bodyAt: number;
  explicitVr: boolean;
  transferSyntaxUid: string | null;
  meta: ElementSpan[];
  elements: ElementSpan[];
  /** Fragments of encapsulated pixel data (offset of each item's value and its length). */
  fragments: { valueAt: number; length: number; lengthAt: number }[];
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const VR = /^[A-Z]{2}$/;
const UNDEFINED = 0xffffffff;

function u16(b: Uint8Array, at: number): number {
  return (b[at] as number) | ((b[at + 1] as number) << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (((b[at + 3] as number) << 24) >>> 0) + ((b[at + 2] as number) << 16) + ((b[at + 1] as number) << 8) + (b[at] as number);
}

/** Skips an undefined-length value (sequence or encapsulated pixel data) to just past its delimiter. */
function skipUndefined(b: Uint8Array, at: number): number {
  let depth = 1;
  let p = at;
  while (p + 8 <= b.length) {
    const group = u16(b, p);
    const element = u16(b, p + 2);
    if (group === 0xfffe && element === 0xe0dd && --depth === 0) return p + 8;
    if (group === 0xfffe && (element === 0xe000 || element === 0xe00d || element === 0xe0dd)) {
      const length = u32(b, p + 4);
      p += 8;
      if (element === 0xe000 && length !== UNDEFINED) p += length;
      continue;
    }
    // An element inside an item: step over it (explicit VR guessed from the bytes).
    const vr = String.fromCharCode(b[p + 4] as number, b[p + 5] as number);
    if (VR.test(vr)) {
      const long = LONG_VRS.has(vr);
      const length = long ? u32(b, p + 8) : u16(b, p + 6);
      p += long ? 12 : 8;
      if (length === UNDEFINED) depth++;
      else p += length;
    } else {
      const length = u32(b, p + 4);
      p += 8;
      if (length === UNDEFINED) depth++;
      else p += length;
    }
  }
  return b.length;
}

function walk(b: Uint8Array, from: number, to: number, explicitVr: boolean, onlyGroup2: boolean): { spans: ElementSpan[]; end: number } {
  const spans: ElementSpan[] = [];
  let p = from;
  while (p + 8 <= to) {
    const group = u16(b, p);
    if (onlyGroup2 && group !== 0x0002) break;
    const tag = ((group << 16) | u16(b, p + 2)) >>> 0;
    const vrText = String.fromCharCode(b[p + 4] as number, b[p + 5] as number);
    const explicit = explicitVr && VR.test(vrText);
    let span: ElementSpan;
    if (explicit && LONG_VRS.has(vrText)) {
      if (p + 12 > to) break;
      span = { tag, vr: vrText, start: p, lengthAt: p + 8, lengthBytes: 4, valueAt: p + 12, length: u32(b, p + 8) };
    } else if (explicit) {
      span = { tag, vr: vrText, start: p, lengthAt: p + 6, lengthBytes: 2, valueAt: p + 8, length: u16(b, p + 6) };
    } else {
      span = { tag, vr: null, start: p, lengthAt: p + 4, lengthBytes: 4, valueAt: p + 8, length: u32(b, p + 4) };
    }
    spans.push(span);
    p = span.length === UNDEFINED ? skipUndefined(b, span.valueAt) : span.valueAt + span.length;
  }
  return { spans, end: p };
}

export function dicomLayout(bytes: Uint8Array): DicomLayout {
  const hasPreamble = bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
  let meta: ElementSpan[] = [];
  let bodyAt = 0;
  let transferSyntaxUid: string | null = null;
  if (hasPreamble) {
    const walked = walk(bytes, 132, bytes.length, true, true);
    meta = walked.spans;
    bodyAt = walked.end;
    const ts = meta.find((s) => s.tag === 0x00020010);
    if (ts) transferSyntaxUid = Buffer.from(bytes.subarray(ts.valueAt, ts.valueAt + ts.length)).toString('latin1').replace(/[\0 ]+$/, '');
  }
  const vr = String.fromCharCode(bytes[bodyAt + 4] ?? 0, bytes[bodyAt + 5] ?? 0);
  const explicitVr = transferSyntaxUid ? transferSyntaxUid !== '1.2.840.10008.1.2' : VR.test(vr);
  const deflated = transferSyntaxUid === '1.2.840.10008.1.2.1.99';
  const bigEndian = transferSyntaxUid === '1.2.840.10008.1.2.2';
  const elements = deflated || bigEndian ? [] : walk(bytes, bodyAt, bytes.length, explicitVr, false).spans;
  const fragments: DicomLayout['fragments'] = [];
  const pixels = elements.find((e) => e.tag === 0x7fe00010);
  if (pixels && pixels.length === UNDEFINED) {
    let p = pixels.valueAt;
    while (p + 8 <= bytes.length && u16(bytes, p) === 0xfffe && u16(bytes, p + 2) === 0xe000) {
      const length = u32(bytes, p + 4);
      fragments.push({ valueAt: p + 8, length, lengthAt: p + 4 });
      p += 8 + length;
    }
  }
  return { hasPreamble, bodyAt, explicitVr, transferSyntaxUid, meta, elements, fragments };
}
