// The content-addressed blob store: a blob is written once, and a file a crash left short (or wrong) under a blob's
// name is replaced by the next put of that content, so a blob that a catalog row refers to is always whole.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BlobStore, sha256Hex } from './blobs.ts';

const scratch = mkdtempSync(join(tmpdir(), 'angio-blobs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const bytes = new Uint8Array(20_000).map((_, i) => (i * 7919) % 251);
const sha = sha256Hex(bytes);

test('a blob is stored under its digest once; putting it again leaves the file alone', () => {
  const blobs = new BlobStore(join(scratch, 'once'));
  assert.equal(blobs.put(bytes), sha);
  const first = statSync(blobs.pathOf(sha));
  assert.equal(blobs.put(bytes, sha), sha);
  assert.equal(statSync(blobs.pathOf(sha)).ino, first.ino, 'an identical blob was written again');
  assert.deepEqual(new Uint8Array(blobs.read(sha)), bytes);
});

test('a short or damaged file under a blob name (a crash mid-write) is replaced by the next put', () => {
  const blobs = new BlobStore(join(scratch, 'repair'));
  blobs.put(bytes);
  const path = blobs.pathOf(sha);
  writeFileSync(path, bytes.subarray(0, 4096));
  blobs.put(bytes);
  assert.equal(sha256Hex(readFileSync(path)), sha, 'a short file was trusted as the blob');
  const damaged = bytes.slice();
  damaged[10_000] = (damaged[10_000] as number) ^ 1;
  writeFileSync(path, damaged);
  blobs.put(bytes);
  assert.equal(sha256Hex(readFileSync(path)), sha, 'a file of the right size with other bytes was trusted as the blob');
});

test('putAsync keeps the same rules: stored once under its digest, a short file repaired, hundreds written at once', async () => {
  const blobs = new BlobStore(join(scratch, 'async'));
  assert.equal(await blobs.putAsync(bytes, sha), sha);
  const first = statSync(blobs.pathOf(sha));
  assert.equal(await blobs.putAsync(bytes, sha), sha);
  assert.equal(statSync(blobs.pathOf(sha)).ino, first.ino, 'an identical blob was written again');
  writeFileSync(blobs.pathOf(sha), bytes.subarray(0, 4096));
  await blobs.putAsync(bytes, sha);
  assert.equal(createHash('sha256').update(readFileSync(blobs.pathOf(sha))).digest('hex'), sha, 'a short file was trusted as the blob');
  // As an import writes a batch: many files in flight on the thread pool, each whole once its promise resolves.
  const many = Array.from({ length: 300 }, (_, i) => new Uint8Array(3000 + i).map((_, j) => (i * 31 + j * 7) & 0xff));
  const digests = many.map((content) => createHash('sha256').update(content).digest('hex'));
  await Promise.all(many.map((content, i) => blobs.putAsync(content, digests[i] as string)));
  for (const [i, digest] of digests.entries()) assert.deepEqual(new Uint8Array(readFileSync(blobs.pathOf(digest))), many[i]);
});

test('putAsync rejects, rather than throwing, when the file cannot be created', async () => {
  const dir = join(scratch, 'read-only');
  const blobs = new BlobStore(dir);
  await blobs.putAsync(bytes, sha);
  const other = new Uint8Array(10).fill(3);
  const otherSha = createHash('sha256').update(other).digest('hex');
  // Root ignores permissions, so the blob's folder name is taken by a plain file instead.
  writeFileSync(join(dir, otherSha.slice(0, 2)), 'in the way');
  const writing = blobs.putAsync(other, otherSha);
  await assert.rejects(writing, (error: NodeJS.ErrnoException) => ['ENOTDIR', 'EEXIST'].includes(error.code ?? ''));
});
