// Writes a rendered phantom as an XA DICOM file (explicit VR little endian, one frame, MONOCHROME2) with the
// calibration geometry set: Imager Pixel Spacing, Distance Source to Detector and to Patient, and magnification.
import { encodeText, writeDataSet, writePart10, type OutElement } from '../../dicom/writer.ts';
import type { PhantomSpec } from './phantom-geometry.ts';

const XA_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.12.1';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const ROOT = '2.25.';

const str = (tag: number, vr: string, value: string): OutElement => ({ tag, vr, value: encodeText(value, vr) });
const us = (tag: number, value: number): OutElement => {
  const bytes = new Uint8Array(2);
  new DataView(bytes.buffer).setUint16(0, value, true);
  return { tag, vr: 'US', value: bytes };
};

/** A deterministic UID under 2.25 from the phantom's name and seed, so rewriting a phantom gives the same file. */
function uidOf(spec: PhantomSpec, kind: number): string {
  let h = 0n;
  for (const c of `${spec.name}:${spec.seed}:${kind}`) h = (h * 131n + BigInt(c.charCodeAt(0))) % 10n ** 30n;
  return `${ROOT}${h + 1n}`;
}

export function phantomDicom(spec: PhantomSpec, pixels: Uint16Array): Uint8Array {
  const instance = uidOf(spec, 3);
  const ds = (n: number) => n.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  const elements: OutElement[] = [
    str(0x00080016, 'UI', XA_SOP_CLASS),
    str(0x00080018, 'UI', instance),
    str(0x00080060, 'CS', 'XA'),
    str(0x00080070, 'LO', 'QCA phantom'),
    str(0x00100010, 'PN', `Phantom^${spec.name}`),
    str(0x00100020, 'LO', spec.name),
    str(0x00181110, 'DS', ds(spec.sid)),
    str(0x00181111, 'DS', ds(spec.sod)),
    str(0x00181114, 'DS', ds(spec.sid / spec.sod)),
    str(0x00181164, 'DS', `${ds(spec.imagerPixelSpacing)}\\${ds(spec.imagerPixelSpacing)}`),
    str(0x0020000d, 'UI', uidOf(spec, 1)),
    str(0x0020000e, 'UI', uidOf(spec, 2)),
    str(0x00200013, 'IS', '1'),
    us(0x00280002, 1),
    str(0x00280004, 'CS', 'MONOCHROME2'),
    us(0x00280010, spec.size),
    us(0x00280011, spec.size),
    us(0x00280100, 16),
    us(0x00280101, spec.bitsStored),
    us(0x00280102, spec.bitsStored - 1),
    us(0x00280103, 0),
    { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength) },
  ];
  const body = writeDataSet(elements, { littleEndian: true, explicitVr: true });
  return writePart10({ sopClassUid: XA_SOP_CLASS, sopInstanceUid: instance, transferSyntaxUid: EXPLICIT_LE, implementationClassUid: `${ROOT}1`, implementationVersionName: 'ANGIO_QCA' }, body);
}
