// The app's log keeps paths under its own folders and replaces every other absolute path, quoted or bare, spaces
// and all, because folder and file names can name a patient and the log lies outside the vault.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openAppLog, uncaughtMessage, withoutForeignPaths } from './app-log.ts';

const own = ['/srv/angio/data', '/opt/angio'];

test('foreign paths become <path>, the app\'s own stay', () => {
  assert.equal(withoutForeignPaths('asked to open /media/usb/Doe^John 1234567/IM0001.dcm', own), 'asked to open <path>');
  assert.equal(withoutForeignPaths("ENOENT: no such file or directory, open '/media/Doe^John 12/a.dcm'", own), "ENOENT: no such file or directory, open '<path>'");
  assert.equal(withoutForeignPaths('could not read C:\\Users\\Doe John\\a.dcm', own), 'could not read <path>');
  assert.equal(withoutForeignPaths('starting; data /srv/angio/data (default)', own), 'starting; data /srv/angio/data (default)');
  assert.equal(withoutForeignPaths('Error: x\n    at f (/opt/angio/src-main/a.ts:1:2)', own), 'Error: x\n    at f (/opt/angio/src-main/a.ts:1:2)');
  assert.equal(withoutForeignPaths('copied /srv/angio/data/blobs/ab to /home/Doe^Jane/out', own), 'copied /srv/angio/data/blobs/ab to <path>');
  assert.equal(withoutForeignPaths('/srv/angio/database is not under the data folder', own), '<path>', 'a sibling with a common prefix is foreign');
  assert.equal(withoutForeignPaths('refused send renderer.log from https://evil.example/x', own), 'refused send renderer.log from https://evil.example/x', 'a URL is not a path');
  assert.equal(withoutForeignPaths('blocked navigation to file:///media/Doe%5EJane%201234/a.dcm', own), 'blocked navigation to file://<path>');
  assert.equal(withoutForeignPaths('loaded file:///opt/angio/out/renderer/index.html', own), 'loaded file:///opt/angio/out/renderer/index.html');
});

test('the log file holds the cleaned record, and an error\'s stack keeps only the app\'s own paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-app-log-'));
  const log = openAppLog({ dir, ownFolders: [dir, process.cwd()] });
  try {
    readFileSync(join(tmpdir(), 'Doe^Jane 99', 'missing.dcm'));
  } catch (error) {
    log.log('error', uncaughtMessage('uncaught', error));
  }
  const written = readFileSync(log.file, 'utf8');
  assert.match(written, /ERROR uncaught: Error: ENOENT: no such file or directory, open '<path>'/);
  assert.doesNotMatch(written, /Doe\^Jane/);
});
