// The rotating log keeps the newest records in main.log and at most `keep` older files.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRotatingLog } from './logger.ts';

test('records are timestamped lines and multi-line messages stay one record', () => {
  const log = openRotatingLog({ dir: mkdtempSync(join(tmpdir(), 'angio-log-')), now: () => new Date('2025-01-02T03:04:05Z') });
  log.write('warn', 'first\nsecond');
  assert.equal(readFileSync(log.file, 'utf8'), '2025-01-02T03:04:05.000Z WARN  first\n    second\n');
});

test('the log rotates at the size limit and drops the oldest generation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-log-'));
  const log = openRotatingLog({ dir, maxBytes: 200, keep: 2 });
  for (let i = 0; i < 40; i++) log.write('info', `record ${String(i).padStart(3, '0')} ${'x'.repeat(30)}`);
  assert.deepEqual(readdirSync(dir).sort(), ['main.log', 'main.log.1', 'main.log.2']);
  for (const name of readdirSync(dir)) assert.ok(readFileSync(join(dir, name)).byteLength <= 200, `${name} is over the limit`);
  assert.match(readFileSync(join(dir, 'main.log'), 'utf8'), /record 039/);
  assert.doesNotMatch(readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')).join(''), /record 000/, 'the oldest records are gone');
});

test('a reopened log continues the size count of the existing file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-log-'));
  openRotatingLog({ dir, maxBytes: 120 }).write('info', 'x'.repeat(80));
  openRotatingLog({ dir, maxBytes: 120 }).write('info', 'y'.repeat(80));
  assert.deepEqual(readdirSync(dir).sort(), ['main.log', 'main.log.1']);
});
