// What the receiver accepts: the storage classes of angiography (XA/RF), secondary capture and structured reports,
// in the transfer syntaxes the app's decoders read; everything else is refused at negotiation.
import { TRANSFER_SYNTAXES } from '../dicom/index.ts';

export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';

export const ACCEPTED_STORAGE_CLASSES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10008.5.1.4.1.1.12.1', 'X-Ray Angiographic Image'],
  ['1.2.840.10008.5.1.4.1.1.12.1.1', 'Enhanced XA Image'],
  ['1.2.840.10008.5.1.4.1.1.12.2', 'X-Ray Radiofluoroscopic Image'],
  ['1.2.840.10008.5.1.4.1.1.12.2.1', 'Enhanced XRF Image'],
  ['1.2.840.10008.5.1.4.1.1.12.3', 'X-Ray Angiographic Bi-Plane Image (retired)'],
  ['1.2.840.10008.5.1.4.1.1.7', 'Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.1', 'Multi-frame Single Bit Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.2', 'Multi-frame Grayscale Byte Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.3', 'Multi-frame Grayscale Word Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.4', 'Multi-frame True Color Secondary Capture Image'],
  // Reports travel with the studies a PACS sends back; ingest links them to their study.
  ['1.2.840.10008.5.1.4.1.1.88.11', 'Basic Text SR'],
  ['1.2.840.10008.5.1.4.1.1.88.22', 'Enhanced SR'],
  ['1.2.840.10008.5.1.4.1.1.88.33', 'Comprehensive SR'],
  ['1.2.840.10008.5.1.4.1.1.88.67', 'X-Ray Radiation Dose SR'],
]);

/** Classes the SCU may send to the PACS: exported reports and secondary captures. */
export function isSendableClass(sopClassUid: string): boolean {
  return sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.88.') || sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.7');
}

export function isAcceptedStorageClass(sopClassUid: string): boolean {
  return ACCEPTED_STORAGE_CLASSES.has(sopClassUid);
}

export function isAcceptedTransferSyntax(uid: string): boolean {
  return TRANSFER_SYNTAXES.has(uid);
}

export type ContextDecision =
  | { accept: true; transferSyntaxUid: string }
  | { accept: false; reason: 'abstract-syntax' | 'transfer-syntax' };

/**
 * Chooses the answer to one proposed presentation context. The proposer's order wins among syntaxes we read, so an
 * object arrives in the encoding it was sent in (no transcoding by the sender when it can be avoided).
 */
export function decideContext(abstractSyntaxUid: string, proposed: readonly string[]): ContextDecision {
  const verification = abstractSyntaxUid === VERIFICATION_SOP_CLASS;
  if (!verification && !isAcceptedStorageClass(abstractSyntaxUid)) return { accept: false, reason: 'abstract-syntax' };
  const usable = verification
    ? proposed.filter((uid) => uid === '1.2.840.10008.1.2' || uid === '1.2.840.10008.1.2.1')
    : proposed.filter(isAcceptedTransferSyntax);
  const chosen = usable[0];
  return chosen ? { accept: true, transferSyntaxUid: chosen } : { accept: false, reason: 'transfer-syntax' };
}
