// The oracle runner fails a check, never passes it, when its tool is missing, killed, timed out or says it could not
// read the file; on real files the same checks hand back what the tool found.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { oracleDecompress } from '../dicom/testing/oracle.ts';
import { runTool, startTool } from '../network/testing/dcmtk.ts';
import { dciodvfyErrors, dsrdump, pdfImages, pdfText, pydicomSummary, renderPdf } from '../reports/testing/oracles.ts';
import { OracleToolError, runOracle } from './oracle-tool.ts';
import { runPython } from './python-oracle.ts';

const XA_DIR = join(sharedDataDir(), 'dicom', 'xa');
const XA1 = join(XA_DIR, 'XA1_UNC.dcm');
const scratch = mkdtempSync(join(tmpdir(), 'angio-oracle-tool-'));
const emptyBin = join(scratch, 'empty-bin');
mkdirSync(emptyBin);
const notDicom = join(scratch, 'not-dicom.dcm');
writeFileSync(notDicom, 'plain text, no DICOM preamble\n');
const notPdf = join(scratch, 'not-a.pdf');
writeFileSync(notPdf, 'plain text, no PDF header\n');

after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `check` with the environment variable `name` set to `value`, then puts it back. */
function withEnv<T>(name: string, value: string, check: () => T): T {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return check();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

/** A stand-in tool on its own PATH folder: a shell script with the given body. */
function fakeTool(name: string, body: string): string {
  const bin = mkdtempSync(join(scratch, `${name}-bin-`));
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
  return bin;
}

/** An assert.throws matcher: an OracleToolError whose message names every one of `words`. */
function naming(...words: (string | RegExp)[]) {
  return (error: unknown) => {
    assert.ok(error instanceof OracleToolError, `expected an OracleToolError, got ${String(error)}`);
    for (const word of words) {
      if (typeof word === 'string') assert.ok(error.message.includes(word), `"${error.message}" does not name ${word}`);
      else assert.match(error.message, word);
    }
    return true;
  };
}

test('with the tools hidden from PATH every check throws instead of finding no problem', async () => {
  withEnv('PATH', emptyBin, () => {
    assert.throws(() => dciodvfyErrors(XA1), naming('oracle tool missing', 'dciodvfy is not on PATH', emptyBin));
    assert.throws(() => dsrdump(XA1), naming('dsrdump is not on PATH'));
    assert.throws(() => pdfText(notPdf), naming('pdftotext is not on PATH'));
    assert.throws(() => pdfImages(notPdf), naming('pdfimages is not on PATH'));
    assert.throws(() => renderPdf(notPdf, join(scratch, 'page')), naming('pdftoppm is not on PATH'));
    assert.throws(() => oracleDecompress('jpeg-2000', join(XA_DIR, 'XA1_J2KR.dcm')), naming('gdcmconv is not on PATH'));
    assert.throws(() => startTool('storescp', ['0']), naming('storescp is not on PATH'));
  });
  // runTool looks the tool up before it returns its promise, so PATH is back by the time the rejection is awaited.
  const sending = withEnv('PATH', emptyBin, () => runTool('storescu', ['127.0.0.1', '1', XA1]));
  await assert.rejects(sending, naming('storescu is not on PATH'));
});

test('with python3 missing the python oracles throw', () => {
  const missing = join(emptyBin, 'python3');
  withEnv('ANGIO_PYTHON', missing, () => {
    assert.throws(() => runPython('print(1)'), naming(`${missing} does not exist`));
    assert.throws(() => pydicomSummary([XA1]), naming('oracle tool missing'));
  });
});

test('a tool that cannot read its input fails the check, naming the tool and the file', () => {
  assert.throws(() => dsrdump(notDicom), naming('dsrdump', notDicom, 'exit 1'));
  assert.throws(() => dsrdump(XA1), naming('dsrdump', XA1, /Unknown Document Type/), 'an image is not an SR document');
  assert.throws(() => pdfText(notPdf), naming('pdftotext', notPdf, 'exit 1'));
  assert.throws(() => pdfImages(notPdf), naming('pdfimages', notPdf));
  const truncated = join(sharedDataDir(), 'dicom', 'misc', 'MR_truncated.dcm');
  assert.throws(() => dciodvfyErrors(truncated), naming('dciodvfy could not read', truncated, 'read failed'));
  assert.ok(dciodvfyErrors(notDicom).length > 0, 'dciodvfy reads plain text as an empty data set and reports it: the check fails');
  assert.throws(() => dciodvfyErrors(join(scratch, 'absent.dcm')), naming('dciodvfy could not read', 'absent.dcm'));
  assert.throws(() => oracleDecompress('native', notDicom), naming('dcmconv', notDicom));
  assert.throws(() => runOracle('dcmdump', [notDicom], { subject: notDicom }), naming('dcmdump', notDicom));
  assert.throws(() => runPython('import sys; sys.exit("no pydicom here")'), naming('exit 1', 'no pydicom here'));
  assert.throws(() => runPython('print("not json")'), /printed no JSON/);
});

/** With a stand-in dciodvfy whose script is `body`, the check on XA1 throws an error naming `words`. */
function assertStandInDciodvfyFails(body: string, ...words: (string | RegExp)[]): void {
  withEnv('PATH', fakeTool('dciodvfy', body), () => assert.throws(() => dciodvfyErrors(XA1), naming(...words)));
}

test('a tool that is killed, overstays or contradicts its own exit convention fails the check', () => {
  assertStandInDciodvfyFails('kill -KILL $$', 'dciodvfy', XA1, 'killed by SIGKILL');
  assertStandInDciodvfyFails('echo "Warning - only a warning"; exit 1', 'exited 1 with 0 error lines');
  assertStandInDciodvfyFails('echo "Error - an error"; exit 0', 'exited 0 with 1 error lines');
  assertStandInDciodvfyFails('exit 2', 'dciodvfy', XA1, 'exit 2');
  const slowBin = fakeTool('slow-tool', 'exec /bin/sleep 60');
  const overstay = () => runOracle('slow-tool', [], { subject: 'nothing', timeoutMs: 200 });
  withEnv('PATH', slowBin, () => assert.throws(overstay, naming('slow-tool on nothing', 'ETIMEDOUT')));
});

test('on real files the checks hand back what the tool found', () => {
  for (const name of ['XA1_UNC.dcm', 'XA1_RLE.dcm', 'XA_cine_96f_jpeg_baseline.dcm']) {
    const errors = dciodvfyErrors(join(XA_DIR, name));
    assert.ok(errors.length > 0, `dciodvfy reports the shared sample ${name} incomplete (it exits 1), so its error lines come back`);
    for (const line of errors) assert.match(line, /Error - /);
  }
  const sr = join(scratch, 'basic-text.dcm');
  runPython(WRITE_BASIC_TEXT_SR, { path: sr, text: 'oracle runner check' });
  const dump = dsrdump(sr);
  assert.match(dump.output, /Basic Text SR Document/);
  assert.match(dump.output, /oracle runner check/);
  assert.deepEqual(runPython<number[]>('import json, sys; print(json.dumps(json.load(sys.stdin)[::-1]))', [1, 2, 3]), [3, 2, 1]);
});

// pydicom writes a minimal Basic Text SR (one TEXT item), so dsrdump's good path is checked on a file it did not write.
const WRITE_BASIC_TEXT_SR = `
import json, sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
args = json.load(sys.stdin)
def code(value, meaning):
    c = Dataset(); c.CodeValue = value; c.CodingSchemeDesignator = 'DCM'; c.CodeMeaning = meaning
    return [c]
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.88.11'
meta.MediaStorageSOPInstanceUID = generate_uid()
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = Dataset()
ds.file_meta = meta
ds.is_little_endian = True; ds.is_implicit_VR = False
ds.SOPClassUID = meta.MediaStorageSOPClassUID; ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID = generate_uid(); ds.SeriesInstanceUID = generate_uid()
ds.Modality = 'SR'; ds.PatientName = 'Oracle^Check'; ds.PatientID = 'ORACLE'
ds.ValueType = 'CONTAINER'; ds.ContinuityOfContent = 'SEPARATE'
ds.ConceptNameCodeSequence = code('121111', 'Summary')
ds.CompletionFlag = 'COMPLETE'; ds.VerificationFlag = 'UNVERIFIED'
item = Dataset()
item.RelationshipType = 'CONTAINS'; item.ValueType = 'TEXT'
item.ConceptNameCodeSequence = code('121111', 'Summary'); item.TextValue = args['text']
ds.ContentSequence = [item]
ds.save_as(args['path'], write_like_original=False)
print('null')
`;
