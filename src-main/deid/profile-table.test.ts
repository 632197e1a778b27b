// The app's profile is the standard's Table E.1-1: regenerating it from ../shared/standards gives the checked-in file
// byte for byte, and under the default options no row of the table resolves to keeping its value.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GENERATED_PROFILE_PATH, renderProfileModule, standardTablePath } from './generate-profile.ts';
import { actionFor, profileRow } from './profile.ts';
import { DEFAULT_DEID_OPTIONS, methodDescription } from './options.ts';

const table = JSON.parse(readFileSync(standardTablePath(), 'utf8')) as { id: string; tag: string; basicProfile: string; name: string }[];

test('the checked-in profile is what the generator makes of the standard table', () => {
  assert.equal(table.length, 621, 'PS3.15 Table E.1-1 as shipped in ../shared has 621 rows');
  const regenerated = renderProfileModule(table as never);
  assert.ok(regenerated === readFileSync(GENERATED_PROFILE_PATH, 'utf8'), `${GENERATED_PROFILE_PATH} differs from the standard table; run node src-main/deid/generate-profile.ts`);
});

test('every row of the table governs its tag, and none keeps its value under the default options', () => {
  for (const row of table) {
    const concrete = row.id.replace(/^50xxxxxx$/, '50000000').replace(/^60xx/, '6000').replace(/^gggg.*/, '00091010');
    const tag = Number.parseInt(concrete, 16) >>> 0;
    assert.equal(profileRow(tag)?.name, row.name, `${row.tag} ${row.name} is not found by tag`);
    assert.notEqual(actionFor(tag, undefined, DEFAULT_DEID_OPTIONS), 'keep', `${row.tag} ${row.name} (${row.basicProfile}) would be kept`);
  }
  assert.equal(profileRow(0x601e3000)?.name, 'Overlay Data', 'every overlay group follows the 60xx row');
  assert.equal(profileRow(0x50020010)?.name, 'Curve Data', 'every curve group follows the 50xx row');
});

test('combined codes resolve by the attribute type in the stored IODs; options change only their columns', () => {
  assert.equal(actionFor(0x00081010, 'SH'), 'empty', 'Station Name X/Z/D is Type 2 or 3: emptied');
  assert.equal(actionFor(0x00181000, 'LO'), 'dummy', 'Device Serial Number X/Z/D is Type 1 in Enhanced General Equipment');
  assert.equal(actionFor(0x0018700a, 'SH'), 'remove', 'Detector ID X/D is Type 3: removed');
  assert.equal(actionFor(0x00081140, 'SQ'), 'recurse', 'Referenced Image Sequence X/Z/U* keeps its remapped references');
  assert.equal(actionFor(0x00080020, 'DA'), 'shift', 'Study Date under Retain Longitudinal Modified Dates');
  assert.equal(actionFor(0x00080020, 'DA', { ...DEFAULT_DEID_OPTIONS, retainLongitudinalModifiedDates: false }), 'empty');
  assert.equal(actionFor(0x00080030, 'TM'), 'empty', 'a time of day is not shifted: Study Time Z');
  assert.equal(actionFor(0x00101010, 'AS'), 'remove');
  assert.equal(actionFor(0x00101010, 'AS', { ...DEFAULT_DEID_OPTIONS, retainPatientCharacteristics: true }), 'keep');
  assert.equal(actionFor(0x00081030, 'LO'), 'remove');
  assert.equal(actionFor(0x00081030, 'LO', { ...DEFAULT_DEID_OPTIONS, cleanDescriptors: true }), 'clean');
});

test('(0012,0063) names the profile and every option, each value within LO\'s 64 characters', () => {
  const all = methodDescription({ retainLongitudinalModifiedDates: true, retainPatientCharacteristics: true, cleanDescriptors: true, cleanPixelData: false });
  assert.equal(all.length, 4);
  for (const value of all) assert.ok(value.length <= 64, `"${value}" is ${value.length} characters`);
});
