// The shapes the Viewer's parts share and components draw from, as the contract declares them.
import type { InvokeOutput, PixelMeta } from '../../../../src-preload/contract.ts';
import type { FrameSamples } from '../../lib/frame-samples.ts';
import type { GreyLut } from '../../lib/voi.ts';

export type FrameMeta = PixelMeta<'library.frame'>;
export type InstanceContext = InvokeOutput<'viewer.instanceContext'>;
export type DatasetItem = InvokeOutput<'dataset.item'>;
export type EcgTrace = NonNullable<InvokeOutput<'viewer.ecg'>['ecg']>;
export type WindowPreset = 'file' | 'angio' | 'full' | 'custom';
export type LoadStatus = 'idle' | 'loading' | 'done' | 'cancelled' | 'failed';

/** The angiography facts ingest stored for an instance, as the contract declares them. */
export type AngioFacts = NonNullable<InvokeOutput<'library.instance'>['angio']>;

/** One frame's pixels as main sent them, with their meta (the binary path's answer). */
export interface FrameImage {
  meta: FrameMeta;
  data: ArrayBuffer;
}

export interface OverlayBitmap {
  group: number;
  width: number;
  height: number;
  originRow: number;
  originColumn: number;
  bits: Uint8Array;
}

export interface ShownFrame {
  index: number;
  samples: FrameSamples;
}

/** A frame kept for side-by-side comparison, with what it takes to draw it again as it was. */
export interface PinnedFrame {
  meta: FrameMeta;
  shown: ShownFrame;
  lut: GreyLut | null;
  invert: boolean;
  instanceId: number | null;
  label: string;
}
