// The one place that loads dcmjs-dimse (DICOM upper layer and DIMSE messages) and quiets its console logger:
// the network service reports through its own transfer log and the app's logger instead.
import dimse from 'dcmjs-dimse';

dimse.log.setLevel('silent');

export const { Client, Scp, Dataset } = dimse;
export const { CEchoRequest, CFindRequest, CMoveRequest, CGetRequest, CStoreRequest } = dimse.requests;
export const { CEchoResponse, CStoreResponse } = dimse.responses;
export const { PresentationContext } = dimse.association;
export const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason, AbortSource, AbortReason } =
  dimse.constants;

export type DimseClient = InstanceType<typeof dimse.Client>;
export type DimseScp = InstanceType<typeof dimse.Scp>;
export type DimseDataset = InstanceType<typeof dimse.Dataset>;
export type DimseAssociation = InstanceType<typeof dimse.association.Association>;
export type DimsePresentationContext = InstanceType<typeof dimse.association.PresentationContext>;
export type DimseStoreRequest = InstanceType<typeof dimse.requests.CStoreRequest>;
export type DimseStoreResponse = InstanceType<typeof dimse.responses.CStoreResponse>;
export type DimseRequest = InstanceType<typeof dimse.requests.Request>;
export type DimseResponse = InstanceType<typeof dimse.responses.Response>;

/** DIMSE status codes the app sends or branches on (PS3.4 annexes B and C, PS3.7 annex C). */
export const DimseStatus = {
  success: 0x0000,
  pending: 0xff00,
  cancel: 0xfe00,
  refusedSopClassNotSupported: 0x0122,
  refusedOutOfResources: 0xa700,
  errorCannotUnderstand: 0xc000,
  processingFailure: 0x0110,
} as const;
