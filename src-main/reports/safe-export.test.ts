// Export files land whole or not at all, names stay inside the target folder, and the small formatters the
// exporters share say what they should.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decimalString, textElement } from './dicom-elements.ts';
import { predictionsCsv } from './predictions-csv.ts';
import { exportFileName, writeExportFiles } from './safe-export.ts';
import { projectionName } from './study-source.ts';

test('a bundle that runs out of space mid-way leaves no file behind, not even the ones already written', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-export-full-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) {
    t.skip(`cannot mount a small tmpfs here (${mount.stderr.trim()})`);
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  try {
    const files = [{ name: 'a-SR.dcm', bytes: new Uint8Array(40_000) }, { name: 'a-SC1.dcm', bytes: new Uint8Array(40_000) }, { name: 'a-SC2.dcm', bytes: new Uint8Array(40_000) }];
    assert.throws(() => writeExportFiles(dir, files), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'export-folder-unwritable');
      assert.match(error.message, /the disk is full\. Nothing was written/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(writeExportFiles(dir, files.slice(0, 2)).length, 2, 'what fits is written');
    assert.deepEqual(readdirSync(dir).sort(), ['a-SC1.dcm', 'a-SR.dcm']);
  } finally {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export names are plain names in the folder; paths and hidden names are refused', () => {
  assert.equal(exportFileName('study 12 (final)', '.pdf'), 'study 12 (final).pdf');
  assert.equal(exportFileName('report.pdf', '.pdf'), 'report.pdf');
  for (const bad of ['../x', 'a/b', 'a\\b', '..', '.x', '', ' ', 'x\u0000', 'a..b', `${'x'.repeat(130)}`]) {
    assert.throws(() => exportFileName(bad, '.pdf'), /cannot be used as an export file name/, JSON.stringify(bad));
  }
});

test('projections are named as cardiologists name them', () => {
  assert.equal(projectionName(-32, 2), 'RAO 32°, CRA 2°');
  assert.equal(projectionName(45, -20), 'LAO 45°, CAU 20°');
  assert.equal(projectionName(0, 0), 'AP 0°');
  assert.equal(projectionName(null, 3), null);
});

test('DICOM numbers and texts fit their VRs', () => {
  assert.equal(decimalString(0.62375122313141), '0.6237512231');
  assert.ok(decimalString(-1.2345678901234e-7).length <= 16);
  assert.equal(Buffer.from(textElement(0x00080008, 'CS', 'DERIVED\\SECONDARY').value!).toString('latin1'), 'DERIVED\\SECONDARY ');
  assert.equal(textElement(0x00100020, 'LO', 'x'.repeat(80)).value!.length, 64);
});

test('the CSV quotes what needs quoting and defuses spreadsheet formulas', () => {
  const csv = predictionsCsv({
    title: 't', createdAt: '', quantum: { model: 'm', classicalAblation: null, circuit: { qubits: 1, layers: 1, rotation: 'RY', entangler: 'none', reupload: false }, contributions: [], analyses: [] },
    configuration: {}, provenance: { dataset: '', source: '', license: '', splits: {}, patientLevelSplit: false, notes: [], codeVersion: '' },
    runs: [{ model: 'A, "quoted"', seed: 1, threshold: 0.5, predictions: [{ id: '=cmd()', label: 1, score: 0.75 }] }],
  });
  assert.equal(csv.split('\r\n')[1], `"A, ""quoted""",1,'=cmd(),,1,0.75,0.5,stenosis`);
});
