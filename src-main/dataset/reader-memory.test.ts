// The reader chosen last at an OS account is the reader of the next launch; with none chosen there is no default
// (the screens ask), a profile of another account is never remembered, and a removed profile is forgotten.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatasetService } from './service.ts';
import { testCatalog } from './testing/catalog.ts';

test('the last chosen reader is remembered per account across service restarts', async () => {
  const { dir, store, service, done } = await testCatalog([{ path: 'pool/a.png' }]);
  assert.equal(service.readers().lastReaderId, null, 'nobody chosen yet: no guess');
  const zed = service.addReader('Dr Zed', false);
  const amy = service.addReader('Dr Amy', false);
  assert.equal(service.readers().lastReaderId, amy.id, 'the reader who just added themselves reads next');
  service.rememberReader(zed.id);
  const relaunched = new DatasetService({ store, dataDir: dir, account: service.readers().account });
  assert.equal(relaunched.readers().lastReaderId, zed.id);
  assert.deepEqual(relaunched.readers().readers.map((r) => r.name), ['Dr Amy', 'Dr Zed'], 'the list stays alphabetical; the choice does not follow it');

  const other = new DatasetService({ store, dataDir: dir, account: 'someone-else' });
  assert.equal(other.readers().lastReaderId, null);
  assert.throws(() => other.rememberReader(zed.id), (e: Error & { code?: string }) => e.code === 'reader-unknown');
  store.db.prepare('DELETE FROM readers WHERE id = ?').run(zed.id);
  assert.equal(relaunched.readers().lastReaderId, null, 'a profile that is gone is not offered');
  done();
});
