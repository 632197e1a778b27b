// The elements that say an object is de-identified and how (PS3.15 E.1.1): Patient Identity Removed, the method in
// words and as CID 7050 codes. Written into every de-identified copy and into the app's own research-mode objects.
import { encodeText, type OutElement } from '../dicom/index.ts';
import { methodCodes, methodDescription, type DeidOptions, type MethodCode } from './options.ts';

/** One (0012,0064) item: a CID 7050 code. */
function codeItem(code: MethodCode): OutElement[] {
  return [
    { tag: 0x00080100, vr: 'SH', value: encodeText(code.value, 'SH') },
    { tag: 0x00080102, vr: 'SH', value: encodeText('DCM', 'SH') },
    { tag: 0x00080104, vr: 'LO', value: encodeText(code.meaning, 'LO') },
  ];
}

export function deidentificationMethodElements(options: DeidOptions): OutElement[] {
  return [
    { tag: 0x00120062, vr: 'CS', value: encodeText('YES', 'CS') },
    { tag: 0x00120063, vr: 'LO', value: encodeText(methodDescription(options).join('\\'), 'LO') },
    { tag: 0x00120064, vr: 'SQ', items: methodCodes(options).map(codeItem) },
  ];
}
