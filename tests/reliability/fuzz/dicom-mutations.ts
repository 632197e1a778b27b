// Mutations of real DICOM files for the ingest fuzzer: each takes the original bytes and a seeded generator and
// returns damaged bytes plus a one-line description, so a failing case can be rebuilt from (seed, case number).
// Kinds aim at what breaks readers: bit flips, truncation, length fields, huge declared lengths, deep sequence
// nesting, a wrong transfer syntax, pixel geometry that disagrees with the pixels, and damaged codec streams.
import type { SeededRandom } from '../../../src-main/random/seeded-random.ts';
import { dicomLayout, type DicomLayout, type ElementSpan } from './dicom-layout.ts';

export const DICOM_MUTATION_KINDS = [
  'bit-flip',
  'truncate',
  'length-field',
  'huge-length',
  'nested-sequence',
  'transfer-syntax',
  'pixel-geometry',
  'codec-stream',
] as const;
export type DicomMutationKind = (typeof DICOM_MUTATION_KINDS)[number];

export interface Mutation {
  kind: string;
  detail: string;
  bytes: Uint8Array;
}

const pick = <T>(random: SeededRandom, items: readonly T[]): T => items[random.below(items.length)] as T;

export function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

function setLength(bytes: Uint8Array, span: { lengthAt: number; lengthBytes?: 2 | 4 }, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (span.lengthBytes === 2) view.setUint16(span.lengthAt, value & 0xffff, true);
  else view.setUint32(span.lengthAt, value >>> 0, true);
}

const hex = (tag: number): string => `(${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')})`;

function bitFlip(bytes: Uint8Array, random: SeededRandom): Mutation {
  const out = bytes.slice();
  const flips = 1 + random.below(16);
  const at: number[] = [];
  for (let i = 0; i < flips; i++) {
    // Half the flips land in the first 2 KB, where headers and lengths live.
    const position = random.next() < 0.5 ? random.below(Math.min(out.length, 2048)) : random.below(out.length);
    out[position] = (out[position] as number) ^ (1 << random.below(8));
    at.push(position);
  }
  return { kind: 'bit-flip', detail: `${flips} bit(s) at ${at.slice(0, 6).join(',')}${at.length > 6 ? '…' : ''}`, bytes: out };
}

function truncate(bytes: Uint8Array, layout: DicomLayout, random: SeededRandom): Mutation {
  const all = [...layout.meta, ...layout.elements];
  let cut: number;
  if (all.length > 0 && random.next() < 0.5) {
    const span = pick(random, all);
    cut = Math.max(0, span.start + random.below(16) - 4);
  } else {
    cut = random.below(bytes.length);
  }
  return { kind: 'truncate', detail: `cut at ${cut} of ${bytes.length}`, bytes: bytes.slice(0, cut) };
}

function lengthField(bytes: Uint8Array, layout: DicomLayout, random: SeededRandom, huge: boolean): Mutation {
  const spans: (ElementSpan | { tag: number; lengthAt: number; lengthBytes: 4; length: number })[] = [
    ...layout.meta,
    ...layout.elements,
    ...layout.fragments.map((f) => ({ tag: 0xfffee000, lengthAt: f.lengthAt, lengthBytes: 4 as const, length: f.length })),
  ];
  const kind = huge ? 'huge-length' : 'length-field';
  if (spans.length === 0) return { ...bitFlip(bytes, random), kind };
  const span = pick(random, spans);
  const out = bytes.slice();
  const two = span.lengthBytes === 2;
  const value = huge
    ? pick(random, two ? [0xffff, 0xfffe, 0x8000] : [0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000, bytes.length * 2, 0x40000000])
    : pick(random, [0, 1, span.length + 1, span.length - 1, span.length + 2, span.length - 2, random.below(Math.max(2, bytes.length - span.lengthAt)), span.length * 2]);
  setLength(out, span, value);
  return { kind, detail: `${hex(span.tag)} length ${span.length} → ${value >>> 0}`, bytes: out };
}

function nestedSequence(bytes: Uint8Array, layout: DicomLayout, random: SeededRandom): Mutation {
  const depth = pick(random, [2, 16, 200, 2_000, 20_000, 60_000]);
  const undefinedLength = random.next() < 0.7;
  const explicit = layout.explicitVr;
  const le = (n: number, width: 2 | 4) => {
    const b = new Uint8Array(width);
    if (width === 2) new DataView(b.buffer).setUint16(0, n, true);
    else new DataView(b.buffer).setUint32(0, n >>> 0, true);
    return b;
  };
  const sqHeader = (length: number) => {
    const tag = new Uint8Array([0x40, 0x00, 0x30, 0xa7]); // (0040,A730) Content Sequence
    return explicit ? [tag, new Uint8Array([0x53, 0x51, 0, 0]), le(length, 4)] : [tag, le(length, 4)];
  };
  const itemHeader = (length: number) => [new Uint8Array([0xfe, 0xff, 0x00, 0xe0]), le(length, 4)];
  const itemEnd = [new Uint8Array([0xfe, 0xff, 0x0d, 0xe0]), le(0, 4)];
  const seqEnd = [new Uint8Array([0xfe, 0xff, 0xdd, 0xe0]), le(0, 4)];
  const concat = (parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  let blob: Uint8Array;
  if (undefinedLength) {
    const open = concat([...sqHeader(0xffffffff), ...itemHeader(0xffffffff)]);
    const close = concat([...itemEnd, ...seqEnd]);
    blob = new Uint8Array((open.length + close.length) * depth);
    for (let i = 0; i < depth; i++) {
      blob.set(open, i * open.length);
      blob.set(close, depth * open.length + i * close.length);
    }
  } else {
    // Defined lengths, built from the innermost sequence outwards (capped: each level adds 20 bytes).
    let inner: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < Math.min(depth, 2_000); i++) {
      const item = concat([...itemHeader(inner.length), inner]);
      inner = concat([...sqHeader(item.length), item]);
    }
    blob = inner;
  }
  const pixels = layout.elements.find((e) => e.tag === 0x7fe00010);
  const at = pixels ? pixels.start : layout.bodyAt;
  return { kind: 'nested-sequence', detail: `depth ${undefinedLength ? depth : Math.min(depth, 2_000)} ${undefinedLength ? 'undefined' : 'defined'} length at ${at}`, bytes: splice(bytes, at, 0, blob) };
}

const TRANSFER_SYNTAXES = [
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.1.99',
  '1.2.840.10008.1.2.2',
  '1.2.840.10008.1.2.5',
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.100', // MPEG-2: known to DICOM, not to the app
  '1.2.840.10008.1.2.4.201', // HTJ2K
  '1.2.3.4.5',
  '',
  '1.2.840.10008.1.2.1'.repeat(5),
];

function transferSyntax(bytes: Uint8Array, layout: DicomLayout, random: SeededRandom): Mutation {
  const ts = layout.meta.find((s) => s.tag === 0x00020010);
  if (!ts) return { ...lengthField(bytes, layout, random, false), kind: 'transfer-syntax' };
  let uid = pick(random, TRANSFER_SYNTAXES.filter((u) => u !== layout.transferSyntaxUid));
  if (random.next() < 0.1) uid = String.fromCharCode(...Array.from({ length: 1 + random.below(30) }, () => random.below(256)));
  const value = new Uint8Array(Buffer.from(uid.length % 2 ? `${uid}\0` : uid, 'latin1'));
  const out = splice(bytes, ts.valueAt, ts.length, value);
  setLength(out, ts, value.length);
  const groupLength = layout.meta.find((s) => s.tag === 0x00020000);
  if (groupLength && groupLength.length === 4) {
    const view = new DataView(out.buffer);
    view.setUint32(groupLength.valueAt, view.getUint32(groupLength.valueAt, true) + value.length - ts.length, true);
  }
  return { kind: 'transfer-syntax', detail: `${layout.transferSyntaxUid ?? '(none)'} → ${JSON.stringify(uid)}`, bytes: out };
}

const US_TAGS = [0x00280010, 0x00280011, 0x00280100, 0x00280101, 0x00280102, 0x00280002, 0x00280103, 0x00280006];

function pixelGeometry(bytes: Uint8Array, layout: DicomLayout, random: SeededRandom): Mutation {
  const frames = layout.elements.find((e) => e.tag === 0x00280008);
  if (frames && random.next() < 0.3) {
    const text = pick(random, ['2147483647', '0', '-1', '1e9', '99999', 'abc', '4294967296', '3']);
    const value = new Uint8Array(Buffer.from(text.length % 2 ? `${text} ` : text, 'latin1'));
    const out = splice(bytes, frames.valueAt, frames.length, value);
    setLength(out, frames, value.length);
    return { kind: 'pixel-geometry', detail: `NumberOfFrames → ${text}`, bytes: out };
  }
  const candidates = layout.elements.filter((e) => US_TAGS.includes(e.tag) && e.length === 2);
  if (candidates.length === 0) return { ...bitFlip(bytes, random), kind: 'pixel-geometry' };
  const span = pick(random, candidates);
  const value = pick(random, [0, 1, 2, 3, 4, 7, 12, 15, 17, 24, 32, 0x7fff, 0xffff, random.below(0x10000)]);
  const out = bytes.slice();
  new DataView(out.buffer).setUint16(span.valueAt, value, true);
  return { kind: 'pixel-geometry', detail: `${hex(span.tag)} → ${value}`, bytes: out };
}

/** The codec family an encapsulated transfer syntax uses, for per-codec statistics. */
export function codecOf(uid: string | null): 'jpeg' | 'jpeg-lossless' | 'jpeg-ls' | 'j2k' | 'rle' | null {
  if (!uid) return null;
  if (uid === '1.2.840.10008.1.2.5') return 'rle';
  if (uid === '1.2.840.10008.1.2.4.50' || uid === '1.2.840.10008.1.2.4.51') return 'jpeg';
  if (uid === '1.2.840.10008.1.2.4.57' || uid === '1.2.840.10008.1.2.4.70') return 'jpeg-lossless';
  if (uid === '1.2.840.10008.1.2.4.80' || uid === '1.2.840.10008.1.2.4.81') return 'jpeg-ls';
  if (uid === '1.2.840.10008.1.2.4.90' || uid === '1.2.840.10008.1.2.4.91') return 'j2k';
  return null;
}

/** Offset (inside the fragment) of a frame header's dimensions: JPEG/JPEG-LS SOF, J2K SIZ; null when not found. */
function headerDimensions(fragment: Uint8Array, codec: string): number | null {
  for (let i = 0; i + 10 < fragment.length && i < 4096; i++) {
    if (fragment[i] !== 0xff) continue;
    const marker = fragment[i + 1] as number;
    if (codec === 'j2k' && marker === 0x51) return i + 6; // SIZ: Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4)
    if (codec !== 'j2k' && ((marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xf7)) return i + 5; // SOF: Lf P Y X
  }
  return null;
}

function codecStream(bytes: Uint8Array, layout: DicomLayout, random: SeededRandom): Mutation {
  const codec = codecOf(layout.transferSyntaxUid);
  const frames = layout.fragments.filter((f, i) => i > 0 || f.length > 0); // skip an empty offset table
  // Native pixel data has no codec stream: its pixel bytes are flipped instead (reported apart).
  if (!codec || frames.length === 0) return { ...bitFlip(bytes, random), kind: 'codec-stream:none (bit flips)' };
  const kind = `codec-stream:${codec}`;
  const fragment = pick(random, frames);
  const body = bytes.subarray(fragment.valueAt, fragment.valueAt + fragment.length);
  const how = random.below(6);
  if (how === 0 || how === 1) {
    // Corrupt bytes inside the entropy-coded data (or the RLE segments).
    const out = bytes.slice();
    const count = 1 + random.below(how === 0 ? 4 : 64);
    for (let i = 0; i < count; i++) {
      const at = fragment.valueAt + random.below(Math.max(1, fragment.length));
      out[at] = how === 0 ? (out[at] as number) ^ (1 << random.below(8)) : random.below(256);
    }
    return { kind, detail: `${count} byte(s) ${how === 0 ? 'flipped' : 'overwritten'} in a ${fragment.length}-byte fragment`, bytes: out };
  }
  if (how === 2) {
    // Cut the stream short (the fragment's length follows, so the file stays well-formed around it).
    const keep = random.below(Math.max(1, fragment.length));
    const out = splice(bytes, fragment.valueAt + keep, fragment.length - keep);
    setLength(out, fragment, keep + (keep % 2));
    if (keep % 2) return { kind, detail: `fragment cut to ${keep} bytes (odd)`, bytes: splice(out, fragment.valueAt + keep, 0, new Uint8Array(1)) };
    return { kind, detail: `fragment cut to ${keep} of ${fragment.length} bytes`, bytes: out };
  }
  if (how === 3) {
    // Lie about the image size in the codec header.
    const out = bytes.slice();
    const view = new DataView(out.buffer);
    if (codec === 'rle') {
      const field = random.below(16);
      const value = pick(random, [0, 1, 15, 64, 0xffffffff, 0x7fffffff, random.below(fragment.length * 2)]);
      view.setUint32(fragment.valueAt + 4 * field, value, true);
      return { kind, detail: `RLE header word ${field} → ${value}`, bytes: out };
    }
    const at = headerDimensions(body, codec);
    if (at === null) return { kind, detail: 'no frame header found; flipped the first byte', bytes: ((out[fragment.valueAt] = (out[fragment.valueAt] as number) ^ 0xff), out) };
    const big = pick(random, [0, 1, 0xffff, 0x7fff, 0x4000, 3]);
    if (codec === 'j2k') {
      const value = pick(random, [0, 1, 0xffffffff, 0x7fffffff, 0x10000, big]);
      view.setUint32(fragment.valueAt + at + (random.next() < 0.5 ? 0 : 4), value, false);
      return { kind, detail: `J2K SIZ dimension → ${value}`, bytes: out };
    }
    view.setUint16(fragment.valueAt + at + (random.next() < 0.5 ? 0 : 2), big, false);
    if (random.next() < 0.3) out[fragment.valueAt + at - 1] = pick(random, [0, 1, 2, 7, 8, 12, 16, 17, 255]); // precision
    return { kind, detail: `${codec} frame header dimension → ${big}`, bytes: out };
  }
  if (how === 4) {
    // Drop or repeat a block of markers/segments in the middle.
    const from = random.below(Math.max(1, fragment.length));
    const size = Math.min(fragment.length - from, 1 + random.below(512));
    if (random.next() < 0.5) {
      const out = splice(bytes, fragment.valueAt + from, size - (size % 2));
      setLength(out, fragment, fragment.length - (size - (size % 2)));
      return { kind, detail: `${size - (size % 2)} bytes removed at ${from}`, bytes: out };
    }
    const block = bytes.slice(fragment.valueAt + from, fragment.valueAt + from + size - (size % 2));
    const out = splice(bytes, fragment.valueAt + from, 0, block);
    setLength(out, fragment, fragment.length + block.length);
    return { kind, detail: `${block.length} bytes repeated at ${from}`, bytes: out };
  }
  // Replace the whole stream with another codec's bytes or noise.
  const noise = new Uint8Array(Math.max(2, Math.min(fragment.length, 64 + random.below(4096))) & ~1);
  for (let i = 0; i < noise.length; i++) noise[i] = random.below(256);
  if (random.next() < 0.5) noise.set([0xff, 0xd8, 0xff, pick(random, [0xc0, 0xc3, 0xf7, 0x4f])].slice(0, noise.length));
  const out = splice(bytes, fragment.valueAt, fragment.length, noise);
  setLength(out, fragment, noise.length);
  return { kind, detail: `fragment replaced by ${noise.length} bytes of noise`, bytes: out };
}

/** One mutation of `bytes`, of the given kind (or a random one). */
export function mutateDicom(bytes: Uint8Array, random: SeededRandom, kind: DicomMutationKind = pick(random, DICOM_MUTATION_KINDS)): Mutation {
  const layout = dicomLayout(bytes);
  switch (kind) {
    case 'bit-flip':
      return bitFlip(bytes, random);
    case 'truncate':
      return truncate(bytes, layout, random);
    case 'length-field':
      return lengthField(bytes, layout, random, false);
    case 'huge-length':
      return lengthField(bytes, layout, random, true);
    case 'nested-sequence':
      return nestedSequence(bytes, layout, random);
    case 'transfer-syntax':
      return transferSyntax(bytes, layout, random);
    case 'pixel-geometry':
      return pixelGeometry(bytes, layout, random);
    case 'codec-stream':
      return codecStream(bytes, layout, random);
  }
}
