// Box files: VOC XML written here reads back to the same boxes (1-based inclusive corners, escaped text), an
// ADSD-style VOC file reads with its class names, and CSV/JSON round-trip fields with commas, quotes and breaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { boxesFromCsv, boxesFromJson, boxesToCsv, boxesToJson, frameToVoc, vocToFrame, type PortableBox } from './box-formats.ts';

const uid = '2.25.123456789';
const boxes: PortableBox[] = [
  { sopInstanceUid: uid, frameNumber: 31, shape: 'box', x: 200, y: 180, width: 60, height: 40, label: 'stenosis', grade: '>70%', reader: 'Dr "Ana" <R&D>, cath lab' },
  { sopInstanceUid: uid, frameNumber: 31, shape: 'point', x: 0, y: 10, width: 48, height: 48, label: 'stenosis', grade: null, reader: null },
];

test('a frame written as VOC XML reads back to the same boxes, with VOC 1-based inclusive corners', () => {
  const xml = frameToVoc({ sopInstanceUid: uid, frameNumber: 31, width: 512, height: 512, boxes });
  assert.match(xml, /<filename>2\.25\.123456789_0031\.png<\/filename>/);
  assert.match(xml, /<xmin>201<\/xmin>\s*<ymin>181<\/ymin>\s*<xmax>260<\/xmax>\s*<ymax>220<\/ymax>/);
  assert.match(xml, /<reader>Dr &quot;Ana&quot; &lt;R&amp;D&gt;, cath lab<\/reader>/);
  assert.match(xml, /<grade>&gt;70%<\/grade>/);
  // A strict, independent reading of the document agrees on the escaped text.
  const strict = new XMLParser({ processEntities: true }).parse(xml, true) as { annotation: { object: { reader?: string }[] } };
  assert.equal(strict.annotation.object[0]!.reader, boxes[0]!.reader);
  const back = vocToFrame(xml);
  assert.equal(back.sopInstanceUid, uid);
  assert.equal(back.frameNumber, 31);
  assert.deepEqual([back.width, back.height], [512, 512]);
  assert.deepEqual(back.boxes, boxes.map(({ sopInstanceUid: _u, frameNumber: _f, ...rest }) => rest));
});

test('an ADSD-style VOC file reads its boxes; 0-based files read with the zero-based switch', () => {
  const adsd = `<annotation>
  <folder>images</folder><filename>14_002_5_0016.bmp</filename>
  <source><database>Unknown</database></source>
  <size><width>512</width><height>512</height><depth>3</depth></size><segmented>0</segmented>
  <object><name>Stenosis</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult>
    <bndbox><xmin>231</xmin><ymin>302</ymin><xmax>262</xmax><ymax>330</ymax></bndbox></object>
</annotation>`;
  const read = vocToFrame(adsd);
  assert.equal(read.filename, '14_002_5_0016.bmp');
  assert.deepEqual(read.boxes, [{ shape: 'box', x: 230, y: 301, width: 32, height: 29, label: 'Stenosis', grade: null, reader: null }]);
  assert.deepEqual(vocToFrame(adsd, { zeroBased: true }).boxes[0], { shape: 'box', x: 231, y: 302, width: 31, height: 28, label: 'Stenosis', grade: null, reader: null });
  assert.throws(() => vocToFrame('<annotation><object><bndbox><xmin>5</xmin></bndbox></object>'), { code: 'box-file-invalid' });
  assert.throws(() => vocToFrame('<svg/>'), { code: 'box-file-invalid' });
});

test('CSV and JSON round-trip every field, quotes, commas and line breaks included', () => {
  const tricky = [...boxes, { ...boxes[0]!, reader: 'line one\nline two', label: 'stenosis, ostial' }];
  assert.deepEqual(boxesFromCsv(boxesToCsv(tricky)), tricky);
  assert.deepEqual(boxesFromJson(boxesToJson(tricky, { classes: [] })), tricky);
  assert.throws(() => boxesFromCsv('sop_instance_uid,frame_number,x\n1,2,3\n'), { code: 'box-file-invalid' });
  assert.throws(() => boxesFromCsv(`${boxesToCsv(boxes).split('\r\n')[0]}\r\n${uid},1,box,1.5,2,3,4,stenosis,,\r\n`), /x must be a whole number/);
});
