// The dummy value PS3.15's D action puts in place of an original: non-empty, valid for its VR, identical for every
// object, so nothing of the original (not even its length) is left.
import { encodeText } from '../dicom/index.ts';

const TEXT_DUMMIES: Record<string, string> = {
  AE: 'ANONYMOUS',
  AS: '000Y',
  CS: 'ANONYMIZED',
  DA: '19000101',
  DS: '0',
  DT: '19000101000000',
  IS: '0',
  LO: 'ANONYMIZED',
  LT: 'ANONYMIZED',
  PN: 'ANONYMIZED',
  SH: 'ANONYMIZED',
  ST: 'ANONYMIZED',
  TM: '000000',
  UC: 'ANONYMIZED',
  UR: 'urn:anonymized',
  UT: 'ANONYMIZED',
};

/** Bytes of one binary value: zeros, as wide as the VR's unit (OB/UN/OW and kin get one even-length zero). */
const BINARY_WIDTHS: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, AT: 4, FD: 8, SV: 8, UV: 8, OD: 8, OF: 4, OL: 4, OV: 8 };

export function dummyValue(vr: string): Uint8Array {
  const text = TEXT_DUMMIES[vr];
  if (text !== undefined) return encodeText(text, vr);
  return new Uint8Array(BINARY_WIDTHS[vr] ?? 2);
}
