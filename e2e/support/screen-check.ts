// The Viewer's canvas for many DICOM files in one page load: a loopback host (token as the harness's) serves the
// screen-check page (e2e/screen-check, built to out/screen-check) and each frame of the files it is given, decoded by
// the code behind the library.frame route (readDicom, describeImage, decodeFrame, dicomViewerFrame) and sent in the
// app's pixel envelope; the page draws it with the Viewer's store and FrameCanvas and reads the canvas back. What it
// skips is the catalog: the import and the Library, which e2e/viewer-corpus.test.ts and a sample of re-encodings cover.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src-main/app/paths.ts';
import { decodeFrame, describeImage, readDicom, type ImageDescription, type ParsedDicom } from '../../src-main/dicom/index.ts';
import { viewerFrameOf } from '../../src-main/ingest/testing/viewer-screen.ts';
import { encodePixelFrame } from '../../src-preload/pixel-frame.ts';
import { watchPageErrors } from './browser.ts';
import type { CanvasImage } from './corpus-canvas.ts';

const PAGE_DIR = join(projectRoot(), 'out', 'screen-check');
const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export class ScreenCheck {
  readonly pageErrors: string[];
  private readonly files: string[] = [];
  /** The file whose frames are being asked for, parsed once for all of them. */
  private open: { file: number; parsed: ParsedDicom; image: ImageDescription } | null = null;

  private readonly server: ReturnType<typeof createServer>;
  private readonly page: Page;

  private constructor(server: ReturnType<typeof createServer>, page: Page) {
    this.server = server;
    this.page = page;
    this.pageErrors = watchPageErrors(page);
  }

  static async start(browser: Browser): Promise<ScreenCheck> {
    if (!existsSync(join(PAGE_DIR, 'index.html'))) throw new Error(`${PAGE_DIR} is not built: npm run build builds it`);
    const token = randomBytes(24).toString('hex');
    let check: ScreenCheck | null = null;
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.searchParams.get('token') !== token && !(request.headers.cookie ?? '').includes(`screen_check=${token}`)) {
        response.writeHead(401).end('missing or wrong token');
        return;
      }
      const answer = url.pathname === '/frame' ? check!.frame(url) : servePage(url.pathname);
      answer.then(
        ({ type, body }) => response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'set-cookie': `screen_check=${token}; HttpOnly; SameSite=Strict; Path=/` }).end(body),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    check = new ScreenCheck(server, page);
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?token=${token}`);
    await page.waitForFunction(() => typeof window.paintFrames === 'function');
    return check;
  }

  /** Frames `frames` (the first must be 0: it sets the opening window) of the file at `path` as the canvas shows them. */
  async paint(path: string, frames: readonly number[], channels: 1 | 3): Promise<CanvasImage[]> {
    const file = this.files.push(path) - 1;
    try {
      const args: [number, number[], 1 | 3] = [file, [...frames], channels];
      const painted = await this.page.evaluate(([f, picked, c]) => window.paintFrames(f, picked, c), args);
      return painted.map(({ width, height, base64 }) => ({ width, height, pixels: new Uint8Array(Buffer.from(base64, 'base64')) }));
    } finally {
      this.open = null;
    }
  }

  private async frame(url: URL): Promise<{ type: string; body: Uint8Array }> {
    const file = Number(url.searchParams.get('file'));
    const path = this.files[file];
    if (path === undefined) throw new Error(`no file ${file}`);
    if (this.open?.file !== file) {
      const parsed = readDicom(readFileSync(path), path);
      this.open = { file, parsed, image: describeImage(parsed, path) };
    }
    const { parsed, image } = this.open;
    const decoded = await decodeFrame(parsed, image, Number(url.searchParams.get('frame')), path);
    const viewer = viewerFrameOf(decoded, image);
    return { type: 'application/octet-stream', body: encodePixelFrame(viewer.meta, viewer.bytes) };
  }

  async close(): Promise<void> {
    await this.page.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function servePage(pathname: string): Promise<{ type: string; body: Buffer }> {
  const file = normalize(join(PAGE_DIR, pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1))));
  if (!file.startsWith(PAGE_DIR + sep)) throw new Error('outside the page');
  return { type: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
}
