// Data and log folders: environment first, then the user's settings.json, then the platform's user-data folder.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { dicomPathsFromArgv, resolveAppLocations, userDataOverride } from './app-locations.ts';

const userData = () => mkdtempSync(join(tmpdir(), 'angio-userdata-'));

test('by default everything lives in the user-data folder', () => {
  const dir = userData();
  assert.deepEqual(resolveAppLocations(dir, {}, assert.fail), { userDataDir: dir, dataDir: join(dir, 'data'), logDir: join(dir, 'logs'), dataDirSource: 'default' });
});

test('settings.json moves the data and logs; the environment wins over it', () => {
  const dir = userData();
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ dataDir: '/srv/angio/data', logDir: '/var/log/angio' }));
  const fromSettings = resolveAppLocations(dir, {}, assert.fail);
  assert.equal(fromSettings.dataDir, resolve('/srv/angio/data'));
  assert.equal(fromSettings.dataDirSource, 'settings');
  assert.equal(fromSettings.logDir, resolve('/var/log/angio'));
  const fromEnv = resolveAppLocations(dir, { ANGIO_DATA_DIR: '/mnt/archive/angio', ANGIO_LOG_DIR: '/tmp/angio-logs' }, assert.fail);
  assert.equal(fromEnv.dataDir, resolve('/mnt/archive/angio'));
  assert.equal(fromEnv.dataDirSource, 'env');
  assert.equal(fromEnv.logDir, resolve('/tmp/angio-logs'));
});

test('relative or malformed settings are ignored with a warning, not obeyed', () => {
  const dir = userData();
  const warnings: string[] = [];
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ dataDir: 'data-here' }));
  assert.equal(resolveAppLocations(dir, { ANGIO_DATA_DIR: 'relative' }, (m) => warnings.push(m)).dataDir, join(dir, 'data'));
  assert.match(warnings.join('\n'), /dataDir must be an absolute path/);
  writeFileSync(join(dir, 'settings.json'), '{ not json');
  resolveAppLocations(dir, {}, (m) => warnings.push(m));
  assert.match(warnings.at(-1)!, /ignored .*settings\.json/);
});

test('the profile folder moves only to an absolute ANGIO_USER_DATA_DIR', () => {
  assert.equal(userDataOverride({ ANGIO_USER_DATA_DIR: '/opt/angio-profile' }), resolve('/opt/angio-profile'));
  assert.equal(userDataOverride({ ANGIO_USER_DATA_DIR: 'profile' }), null);
  assert.equal(userDataOverride({}), null);
});

test('DICOM files on the command line are picked out of Chromium switches', () => {
  assert.deepEqual(dicomPathsFromArgv(['/opt/angio/angio', '--no-sandbox', '/data/run1/IM0001.DCM', 'notes.txt', '/data/b.dcm']), ['/data/run1/IM0001.DCM', '/data/b.dcm']);
});
