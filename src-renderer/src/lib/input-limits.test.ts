// The fields' limits are the contract's: read here from the channel schemas themselves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import { CurationFilterSchema, datasetInvokes } from '../../../src-preload/channels/dataset.ts';
import { ingestInvokes } from '../../../src-preload/channels/ingest.ts';
import { reportsInvokes } from '../../../src-preload/channels/reports.ts';
import { INPUT_LIMITS } from './input-limits.ts';

/** The maximum length of a string field, through any default/optional/nullable wrapping. */
function maxLength(schema: z.ZodType): number | null {
  let inner: unknown = schema;
  for (let i = 0; i < 5 && inner && typeof inner === 'object' && 'unwrap' in inner && !('maxLength' in inner); i++) inner = (inner as { unwrap(): unknown }).unwrap();
  return (inner as { maxLength?: number | null }).maxLength ?? null;
}
const field = (channel: { input: z.ZodType }, name: string) => maxLength((channel.input as unknown as z.ZodObject).shape[name] as z.ZodType);

test('every field limit the screens use is the limit main enforces', () => {
  assert.equal(INPUT_LIMITS.path, field(ingestInvokes['ingest.importFolder'], 'root'));
  assert.equal(INPUT_LIMITS.patientFilter, maxLength((CurationFilterSchema as unknown as z.ZodObject).shape.patient as z.ZodType));
  assert.equal(INPUT_LIMITS.reader, field(ingestInvokes['ingest.importFolder'], 'reader'));
  assert.equal(INPUT_LIMITS.readerName, field(datasetInvokes['dataset.addReader'], 'name'));
  assert.equal(INPUT_LIMITS.splitName, field(datasetInvokes['dataset.buildSplit'], 'name'));
  assert.equal(INPUT_LIMITS.fileName, field(reportsInvokes['reports.studyPdf'], 'name'));
  assert.equal(INPUT_LIMITS.path, field(reportsInvokes['reports.studyPdf'], 'folder'));
  assert.equal(INPUT_LIMITS.reader, field(reportsInvokes['reports.studyPdf'], 'reader'));
});
