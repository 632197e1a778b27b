// A test-only page (built to out/screen-check, served by e2e/support/screen-check.ts): the Viewer's own store and
// FrameCanvas draw DICOM frames fetched from the test host in the pixel envelope the app's routes use, many files per
// page load, and the canvas is read back. The host decodes each file with the code behind the library.frame route.
import { flushSync, mount } from 'svelte';
import type { Result } from '../../src-preload/contract-base.ts';
import { decodePixelFrame } from '../../src-preload/pixel-frame.ts';
import type { AngioApi } from '../../src-renderer/src/lib/api.ts';
import { ViewerStore, type FrameImage, type FrameMeta } from '../../src-renderer/src/stores/viewer/index.ts';
import ScreenCheck from './ScreenCheck.svelte';

export interface PaintedFrame {
  width: number;
  height: number;
  /** The canvas's 8-bit channels interleaved (grey: R only; colour: R, G, B), as base64. */
  base64: string;
}

declare global {
  interface Window {
    /** Opens file `file` of the host as the Viewer opens a run (frame 0 sets the window) and paints each of `frames`. */
    paintFrames(file: number, frames: number[], channels: 1 | 3): Promise<PaintedFrame[]>;
  }
}

/** The page reads frames itself; a call to the app services would mean the store left the drawing path. */
const noServices = new Proxy(
  {},
  {
    get: (_, name) => {
      throw new Error(`the screen check has no app services (${String(name)} was asked for)`);
    },
  },
) as AngioApi;
const viewer = new ViewerStore(noServices);
mount(ScreenCheck, { target: document.getElementById('app')!, props: { viewer } });
const token = new URLSearchParams(location.search).get('token') ?? '';

async function fetchFrame(file: number, frame: number): Promise<FrameImage> {
  const response = await fetch(`/frame?token=${token}&file=${file}&frame=${frame}`);
  if (!response.ok) throw new Error(`file ${file} frame ${frame}: ${await response.text()}`);
  const { meta, data } = decodePixelFrame(await response.arrayBuffer());
  return { meta: meta as FrameMeta, data };
}

/** The store's frame reader over the test host, answering as the app's pixel routes do. */
const readerOf =
  (file: number) =>
  (index: number): Promise<Result<FrameImage>> =>
    fetchFrame(file, index).then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({ ok: false, error: { code: 'screen-check', message: String(error) } }),
    );

async function untilShown(index: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (viewer.shown?.index !== index) {
    if (viewer.error) throw new Error(viewer.error);
    if (performance.now() > deadline) throw new Error(`frame ${index} never arrived`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function readCanvas(index: number, channels: 1 | 3): PaintedFrame {
  const canvas = document.querySelector('[data-testid="frame-canvas"]') as HTMLCanvasElement;
  if (canvas.dataset.frame !== String(index)) throw new Error(`the canvas shows frame ${canvas.dataset.frame}, not ${index}`);
  const rgba = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let binary = '';
  for (let p = 0; p < rgba.length; p += 4) for (let c = 0; c < channels; c++) binary += String.fromCharCode(rgba[p + c]!);
  return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
}

window.paintFrames = async (file, frames, channels) => {
  viewer.close();
  viewer.showOpening(await fetchFrame(file, 0), readerOf(file));
  const painted: PaintedFrame[] = [];
  for (const index of frames) {
    viewer.source.setFrame(index);
    await untilShown(index);
    flushSync();
    painted.push(readCanvas(index, channels));
  }
  return painted;
};
