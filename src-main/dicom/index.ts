// DICOM reading and decoding: pure functions over bytes (no I/O); ingest/ wraps them with files and the store.
export { readDicom, DicomReadError, text, texts, decimal, uint16, type ParsedDicom, type ReadFailure } from './dataset.ts';
export { describeImage, decodeFrame, encodedFrame, storedValues, type ImageDescription, type DecodedFrame, type WindowSetting, type FrameDecodeRunner } from './image.ts';
export { readAngioMetadata, ecgKeyFrame, type AngioMetadata, type OverlayPlane, readEcg } from './angio-metadata.ts';
export { classifyObject, type ObjectKind } from './object-kind.ts';
export { renderGrey8, applyWindow, displayWindow, DISPLAY_PIPELINE_VERSION, type DisplayParameters, lookUp, modalityTransform } from './display.ts';
export { ybrFullToRgb, paletteToRgb, colourTo8Bit, colourFrameToRgb8 } from './photometric.ts';
export { TRANSFER_SYNTAXES, lookupTransferSyntax, type TransferSyntax, EXPLICIT_LITTLE_ENDIAN } from './transfer-syntaxes.ts';
export { IsolatedFrameDecoder } from './decode-isolation.ts';
export { encodeText, type OutElement, writeDataSet, writePart10 } from './writer.ts';
export { frameScale, readCalibration, type FrameCalibration, type FrameScale } from './isocenter-scale.ts';
