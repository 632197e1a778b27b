// Builds the Part 10 header (preamble, "DICM", group 0002) for a data set received over the network, so that the
// received bytes are stored exactly as sent after it. Pure: values in, bytes out (PS3.10 7.1, explicit VR LE).

/** This application's implementation class UID (a UUID-derived 2.25 UID, fixed once) and version name. */
export const IMPLEMENTATION_CLASS_UID = '2.25.237110432938451262755183716420437715517';
export const IMPLEMENTATION_VERSION = 'ANGIO_SSLQ_01';

export interface FileMetaValues {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** The AE title that sent the object, recorded as Source Application Entity Title. */
  sourceAeTitle?: string;
}

function padded(value: string, pad: string): Uint8Array {
  const text = value.length % 2 ? value + pad : value;
  return new TextEncoder().encode(text);
}

/** One explicit-VR little-endian element with a 2-byte length field (UI, SH, AE, UL). */
function shortElement(element: number, vr: string, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, element, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  view.setUint16(6, value.length, true);
  out.set(value, 8);
  return out;
}

/** (0002,0001) OB has a 4-byte length after two reserved bytes. */
function versionElement(): Uint8Array {
  return new Uint8Array([0x02, 0x00, 0x01, 0x00, 0x4f, 0x42, 0, 0, 2, 0, 0, 0, 0x00, 0x01]);
}

export function fileMetaHeader(meta: FileMetaValues): Uint8Array {
  const body = [
    versionElement(),
    shortElement(0x0002, 'UI', padded(meta.sopClassUid, '\0')),
    shortElement(0x0003, 'UI', padded(meta.sopInstanceUid, '\0')),
    shortElement(0x0010, 'UI', padded(meta.transferSyntaxUid, '\0')),
    shortElement(0x0012, 'UI', padded(IMPLEMENTATION_CLASS_UID, '\0')),
    shortElement(0x0013, 'SH', padded(IMPLEMENTATION_VERSION, ' ')),
  ];
  if (meta.sourceAeTitle) body.push(shortElement(0x0016, 'AE', padded(meta.sourceAeTitle.trim(), ' ')));
  const bodyLength = body.reduce((n, part) => n + part.length, 0);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, bodyLength, true);
  const parts = [new Uint8Array(128), new TextEncoder().encode('DICM'), shortElement(0x0000, 'UL', groupLength), ...body];
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
