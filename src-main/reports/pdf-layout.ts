// A small flowing layout over pdf-lib for both report kinds: A4 pages with a running header, a footer that carries
// the research statement and "Page i of n", wrapped paragraphs, key–value blocks, tables and images.
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { encodePng } from '../png/index.ts';
import type { RgbImage } from './key-frame.ts';

export const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.4, 0.45);
const RULE = rgb(0.75, 0.77, 0.8);

const REPLACEMENTS: Record<string, string> = { '≥': '>=', '≤': '<=', 'α': 'alpha', '⟨': '<', '⟩': '>', '→': '->', '×': 'x', 'θ': 'theta', '√': 'sqrt', '−': '-' };

export class PdfReport {
  readonly doc: PDFDocument;
  private readonly regular: PDFFont;
  private readonly bold: PDFFont;
  private readonly charset: Set<number>;
  private readonly header: string[];
  private readonly footer: string;
  private page!: PDFPage;
  private y = 0;

  private constructor(doc: PDFDocument, regular: PDFFont, bold: PDFFont, header: string[], footer: string) {
    this.doc = doc;
    this.regular = regular;
    this.bold = bold;
    this.charset = new Set(regular.getCharacterSet());
    this.header = header;
    this.footer = footer;
  }

  static async create(title: string, header: string[], footer: string, at: Date): Promise<PdfReport> {
    const doc = await PDFDocument.create();
    doc.setTitle(title);
    doc.setProducer('Angio SSL-Quantum');
    doc.setCreator('Angio SSL-Quantum reports');
    // Fixed dates: the same inputs give the same bytes, apart from nothing.
    doc.setCreationDate(at);
    doc.setModificationDate(at);
    const report = new PdfReport(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold), header, footer);
    report.newPage();
    return report;
  }

  /** Text the standard font can draw (WinAnsi): known symbols spelled out, anything else replaced by "?". */
  safe(text: string): string {
    let out = '';
    for (const ch of text) {
      const replaced = REPLACEMENTS[ch] ?? ch;
      for (const c of replaced) out += c === '\n' || this.charset.has(c.codePointAt(0) as number) ? c : '?';
    }
    return out;
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    let y = PAGE.height - PAGE.margin + 10;
    this.header.forEach((line, i) => {
      this.page.drawText(this.safe(line), { x: PAGE.margin, y, size: i === 0 ? 9 : 8, font: i === 0 ? this.bold : this.regular, color: i === 0 ? INK : MUTED });
      y -= 11;
    });
    this.page.drawLine({ start: { x: PAGE.margin, y: y + 4 }, end: { x: PAGE.width - PAGE.margin, y: y + 4 }, thickness: 0.5, color: RULE });
    this.y = y - 14;
  }

  private ensure(height: number): void {
    if (this.y - height < PAGE.margin + 30) this.newPage();
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of this.safe(text).split('\n')) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const next = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) > width && line) {
          lines.push(line);
          line = word;
        } else {
          line = next;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  heading(text: string, size = 14): void {
    this.ensure(size + 16);
    this.y -= 4;
    this.page.drawText(this.safe(text), { x: PAGE.margin, y: this.y - size, size, font: this.bold, color: INK });
    this.y -= size + 10;
  }

  paragraph(text: string, options: { size?: number; bold?: boolean; muted?: boolean; indent?: number } = {}): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const x = PAGE.margin + (options.indent ?? 0);
    for (const line of this.wrap(text, font, size, PAGE.width - PAGE.margin - x)) {
      this.ensure(size + 4);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: options.muted ? MUTED : INK });
      this.y -= size + 4;
    }
    this.y -= 4;
  }

  /** Label: value rows, labels in bold in a fixed column. */
  fields(rows: [string, string][], labelWidth = 150, size = 10): void {
    for (const [label, value] of rows) {
      const lines = this.wrap(value, this.regular, size, PAGE.width - 2 * PAGE.margin - labelWidth);
      this.ensure(lines.length * (size + 4));
      this.page.drawText(this.safe(label), { x: PAGE.margin, y: this.y - size, size, font: this.bold, color: INK });
      for (const line of lines) {
        this.page.drawText(line, { x: PAGE.margin + labelWidth, y: this.y - size, size, font: this.regular, color: INK });
        this.y -= size + 4;
      }
    }
    this.y -= 6;
  }

  /** A table with a bold header row; column widths are shares of the text width. */
  table(header: string[], rows: string[][], shares: number[], size = 8): void {
    const width = PAGE.width - 2 * PAGE.margin;
    const xs = shares.reduce<number[]>((acc, s, i) => [...acc, (acc[i] as number) + s * width], [PAGE.margin]);
    const drawRow = (cells: string[], font: PDFFont): void => {
      const wrapped = cells.map((c, i) => this.wrap(c, font, size, (shares[i] as number) * width - 4));
      const height = Math.max(...wrapped.map((w) => w.length)) * (size + 2) + 4;
      this.ensure(height);
      wrapped.forEach((lines, i) => lines.forEach((line, k) => this.page.drawText(line, { x: (xs[i] as number) + 2, y: this.y - size - k * (size + 2), size, font, color: INK })));
      this.y -= height;
      this.page.drawLine({ start: { x: PAGE.margin, y: this.y + 1 }, end: { x: PAGE.width - PAGE.margin, y: this.y + 1 }, thickness: 0.3, color: RULE });
    };
    drawRow(header, this.bold);
    for (const row of rows) drawRow(row, this.regular);
    this.y -= 8;
  }

  async embedRgb(image: RgbImage): Promise<PDFImage> {
    return this.doc.embedPng(encodePng(image.width, image.height, 3, image.pixels));
  }

  async embedPngBytes(png: Uint8Array): Promise<PDFImage> {
    return this.doc.embedPng(png);
  }

  /** Draws an image scaled to fit `maxWidth` × `maxHeight` at the cursor; returns where it went. */
  image(image: PDFImage, maxWidth: number, maxHeight: number, x = PAGE.margin): { x: number; y: number; width: number; height: number } {
    const scale = Math.min(maxWidth / image.width, maxHeight / image.height);
    const width = image.width * scale;
    const height = image.height * scale;
    this.ensure(height + 6);
    const box = { x, y: this.y - height, width, height };
    this.page.drawImage(image, box);
    return box;
  }

  /** Moves the cursor below a drawn box. */
  below(box: { y: number }, gap = 10): void {
    this.y = box.y - gap;
  }

  text(text: string, x: number, y: number, size = 8, bold = false): void {
    this.page.drawText(this.safe(text), { x, y, size, font: bold ? this.bold : this.regular, color: INK });
  }

  textWidth(text: string, size = 8): number {
    return this.regular.widthOfTextAtSize(this.safe(text), size);
  }

  newPageIfBelow(height: number): void {
    this.ensure(height);
  }

  /** Footer on every page (statement and page numbers), then the bytes. */
  async finish(): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      page.drawLine({ start: { x: PAGE.margin, y: PAGE.margin + 8 }, end: { x: PAGE.width - PAGE.margin, y: PAGE.margin + 8 }, thickness: 0.5, color: RULE });
      page.drawText(this.safe(this.footer), { x: PAGE.margin, y: PAGE.margin - 4, size: 7.5, font: this.bold, color: INK });
      const label = `Page ${i + 1} of ${pages.length}`;
      page.drawText(label, { x: PAGE.width - PAGE.margin - this.regular.widthOfTextAtSize(label, 8), y: PAGE.margin - 4, size: 8, font: this.regular, color: MUTED });
    });
    return this.doc.save({ useObjectStreams: false });
  }
}
