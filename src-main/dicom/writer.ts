// Writes DICOM Part 10 files from an element list: pure, bytes out. Used to store de-identified copies in the source's
// own byte order and VR encoding (implicit sources stay implicit, so no VR dictionary is needed to copy values).

export interface OutElement {
  /** (group << 16) | element. */
  tag: number;
  /** Required for explicit VR; ignored for implicit. */
  vr?: string;
  value?: Uint8Array;
  /** Sequence items, each a list of elements. */
  items?: OutElement[][];
  /** Encapsulated pixel data: the raw item stream (offset table + fragments) without its sequence delimiter. */
  encapsulated?: Uint8Array;
}

export interface Encoding {
  littleEndian: boolean;
  explicitVr: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const UNDEFINED = 0xffffffff;

class ByteWriter {
  private chunks: Uint8Array[] = [];
  length = 0;
  private readonly little: boolean;
  constructor(littleEndian: boolean) {
    this.little = littleEndian;
  }
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, this.little);
    this.bytes(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, this.little);
    this.bytes(b);
  }
  ascii(s: string): void {
    this.bytes(new TextEncoder().encode(s));
  }
  tag(tag: number): void {
    this.u16(tag >>> 16);
    this.u16(tag & 0xffff);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Pads a text value to even length (UI with NUL, everything else with a space), as PS3.5 6.2 requires. */
export function encodeText(value: string, vr: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(value, 'latin1'));
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = vr === 'UI' ? 0 : 0x20;
  return padded;
}

function writeElement(w: ByteWriter, e: OutElement, enc: Encoding): void {
  if (e.encapsulated) {
    // Encapsulated pixel data is always explicit little endian OB with undefined length (PS3.5 A.4).
    w.tag(e.tag);
    if (enc.explicitVr) {
      w.ascii('OB');
      w.u16(0);
    }
    w.u32(UNDEFINED);
    w.bytes(e.encapsulated);
    w.tag(0xfffee0dd);
    w.u32(0);
    return;
  }
  if (e.items) {
    w.tag(e.tag);
    if (enc.explicitVr) {
      w.ascii('SQ');
      w.u16(0);
    }
    w.u32(UNDEFINED);
    for (const item of e.items) {
      w.tag(0xfffee000);
      w.u32(UNDEFINED);
      for (const child of item) writeElement(w, child, enc);
      w.tag(0xfffee00d);
      w.u32(0);
    }
    w.tag(0xfffee0dd);
    w.u32(0);
    return;
  }
  const value = e.value ?? new Uint8Array(0);
  w.tag(e.tag);
  if (enc.explicitVr) {
    const vr = e.vr && e.vr.length === 2 ? e.vr : 'UN';
    w.ascii(vr);
    if (LONG_VRS.has(vr)) {
      w.u16(0);
      w.u32(value.length);
    } else {
      w.u16(value.length);
    }
  } else {
    w.u32(value.length);
  }
  w.bytes(value);
}

export function writeDataSet(elements: readonly OutElement[], enc: Encoding): Uint8Array {
  const w = new ByteWriter(enc.littleEndian);
  for (const e of [...elements].sort((a, b) => a.tag - b.tag)) writeElement(w, e, enc);
  return w.concat();
}

export interface FileMeta {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  implementationClassUid: string;
  implementationVersionName: string;
}

/** Preamble, DICM, file meta (explicit little endian with its group length) and the data set. */
export function writePart10(meta: FileMeta, dataSet: Uint8Array): Uint8Array {
  const explicitLe: Encoding = { littleEndian: true, explicitVr: true };
  const metaElements: OutElement[] = [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: encodeText(meta.sopClassUid, 'UI') },
    { tag: 0x00020003, vr: 'UI', value: encodeText(meta.sopInstanceUid, 'UI') },
    { tag: 0x00020010, vr: 'UI', value: encodeText(meta.transferSyntaxUid, 'UI') },
    { tag: 0x00020012, vr: 'UI', value: encodeText(meta.implementationClassUid, 'UI') },
    { tag: 0x00020013, vr: 'SH', value: encodeText(meta.implementationVersionName, 'SH') },
  ];
  const body = writeDataSet(metaElements, explicitLe);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, body.length, true);
  const header = writeDataSet([{ tag: 0x00020000, vr: 'UL', value: groupLength }], explicitLe);
  const out = new Uint8Array(132 + header.length + body.length + dataSet.length);
  out.set(new TextEncoder().encode('DICM'), 128);
  out.set(header, 132);
  out.set(body, 132 + header.length);
  out.set(dataSet, 132 + header.length + body.length);
  return out;
}
