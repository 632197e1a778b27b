// Small element builders over dicom/writer.ts for the objects reports write: text, numbers, codes, sequences
// (items sorted by tag, as the writer leaves item order to its caller) and fresh 2.25 UIDs.
import { randomUUID } from 'node:crypto';
import { encodeText, type OutElement } from '../dicom/index.ts';

/** A new UID under 2.25 (PS3.5 B.2): a random UUID as one decimal integer. */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`;
}

const MAX_LENGTH: Record<string, number> = { SH: 16, LO: 64, CS: 16, PN: 64, DA: 8, TM: 16, IS: 12, DS: 16, UI: 64, ST: 1024, LT: 10240 };

/** Text for an object without Specific Character Set: the default repertoire (ASCII), degrees spelled out. */
export function asciiText(value: string): string {
  return value.replace(/°/g, ' deg').replace(/[–−]/g, '-').replace(/[^\x20-\x7e\r\n\t]/g, '?');
}

/** A text element, each value cut to its VR's maximum length so a long model name cannot make the object invalid. */
export function textElement(tag: number, vr: string, value: string): OutElement {
  const max = MAX_LENGTH[vr];
  const fitted = max ? value.split('\\').map((v) => v.slice(0, max)).join('\\') : value;
  return { tag, vr, value: encodeText(fitted, vr) };
}

export function uint16Element(tag: number, value: number): OutElement {
  const bytes = new Uint8Array(2);
  new DataView(bytes.buffer).setUint16(0, value, true);
  return { tag, vr: 'US', value: bytes };
}

/** A decimal string of at most 16 characters (DS). */
export function decimalString(value: number): string {
  for (let digits = 10; digits >= 1; digits--) {
    const s = Number(value.toPrecision(digits)).toString();
    if (s.length <= 16 && !s.includes('e')) return s;
  }
  return value.toExponential(6);
}

const byTag = (a: OutElement, b: OutElement): number => a.tag - b.tag;

export function sequence(tag: number, items: OutElement[][]): OutElement {
  return { tag, vr: 'SQ', items: items.map((item) => [...item].sort(byTag)) };
}

export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

export function codeItem(code: Code): OutElement[] {
  return [textElement(0x00080100, 'SH', code.value), textElement(0x00080102, 'SH', code.scheme), textElement(0x00080104, 'LO', code.meaning)];
}

export function codeSequence(tag: number, code: Code): OutElement {
  return sequence(tag, [codeItem(code)]);
}

export function dicomDate(at: Date): string {
  return at.toISOString().slice(0, 10).replace(/-/g, '');
}

export function dicomTime(at: Date): string {
  return at.toISOString().slice(11, 19).replace(/:/g, '');
}

/** Float values as little-endian FL bytes: the Graphic Data of an SCOORD. */
export function float32Bytes(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}
