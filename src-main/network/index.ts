// DICOM networking: a receiver (C-STORE/C-ECHO SCP), query/retrieve from a PACS (C-FIND, C-MOVE, C-GET), sending
// reports (C-STORE SCU), the network settings and the transfers log. Built on dcmjs-dimse.
export { NetworkService, type NetworkDeps } from './service.ts';
export { Receiver, RECEIVE_MAX_PDU, type ReceiverSettings } from './receiver.ts';
export { echo, findStudies, moveStudy, getStudy, storeFiles, runAssociation, type ScuOptions, type RetrieveProgress } from './scu.ts';
export { TransferLog } from './transfer-log.ts';
export { readNetworkSettings, updateNetworkSettings } from './settings.ts';
export { ingestThroughService } from './ingest-adapter.ts';
export type { IngestFile, IngestOrigin, IngestOutcome } from './ingest-port.ts';
export { networkHandlers, networkService } from './ipc.ts';

