// The model file container refuses what it cannot use with typed errors: another format, another format version,
// another preprocessing version, altered graphs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../ipc/app-error.ts';
import { fixtureModel } from '../testing/fixture-model.ts';
import { MODEL_FILE_FORMAT_VERSION } from './manifest.ts';
import { decodeModelFile, encodeModelFile } from './model-file.ts';

const code = (expected: string) => (error: unknown) => error instanceof AppError && error.code === expected;

test('a model file round-trips and refuses other versions, other preprocessing and damage with typed errors', async () => {
  const { bytes, file } = await fixtureModel(3);
  assert.equal(file.manifest.formatVersion, MODEL_FILE_FORMAT_VERSION);
  assert.match(file.manifest.modelVersion, /^[0-9a-f]{16}$/);
  assert.equal(file.manifest.training.qMean!.length, 4);
  assert.deepEqual(decodeModelFile(bytes).graphs.head, file.graphs.head);

  const otherVersion = bytes.slice();
  new DataView(otherVersion.buffer).setUint32(8, MODEL_FILE_FORMAT_VERSION + 1, true);
  assert.throws(() => decodeModelFile(otherVersion), code('model-version-unsupported'));

  const { parts: _parts, formatVersion: _version, ...rest } = file.manifest;
  const otherPreprocessing = encodeModelFile({ ...rest, preprocessing: { ...rest.preprocessing, version: 'patch-v0' as typeof rest.preprocessing.version } }, file.graphs);
  assert.throws(() => decodeModelFile(otherPreprocessing), code('model-version-unsupported'));

  const damaged = bytes.slice();
  damaged[damaged.length - 100]! ^= 0xff;
  assert.throws(() => decodeModelFile(damaged), code('model-file-corrupt'));
  assert.throws(() => decodeModelFile(bytes.subarray(0, bytes.length - 10)), code('model-file-corrupt'));
  assert.throws(() => decodeModelFile(new TextEncoder().encode('PK\u0003\u0004 a zip file')), code('model-file-unrecognised'));
});
