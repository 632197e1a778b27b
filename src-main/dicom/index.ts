// DICOM reading and decoding: pure functions over bytes (no I/O); ingest/ wraps them with files and the store.
export { readDicom, DicomReadError, text, texts, decimal, uint16, type ParsedDicom, type ReadFailure } from './dataset.ts';
export { describeImage, decodeFrame, encodedFrame, storedValues, type ImageDescription, type DecodedFrame, type WindowSetting } from './image.ts';
export { readAngioMetadata, ecgKeyFrame, type AngioMetadata, type OverlayPlane } from './angio-metadata.ts';
export { classifyObject, type ObjectKind } from './object-kind.ts';
export { renderGrey8, applyWindow, displayWindow, DISPLAY_PIPELINE_VERSION, type DisplayParameters } from './display.ts';
export { ybrFullToRgb, paletteToRgb, colourTo8Bit, colourFrameToRgb8 } from './photometric.ts';
export { TRANSFER_SYNTAXES, lookupTransferSyntax, type TransferSyntax } from './transfer-syntaxes.ts';
