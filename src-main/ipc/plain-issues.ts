// Schema refusals said as sentences a person can act on: which field, what is wrong with it, and what to do. The
// typed code (invalid-input) and the raw issues stay on the error for programs; only the message changes.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Field names people know by another name; the rest are split from camelCase ("aeTitle" → "AE title"). */
const FIELD_WORDS: Record<string, string> = {
  root: 'folder path',
  folder: 'folder path',
  path: 'path',
  modelPath: 'model file path',
  imagePath: 'image file path',
  outDir: 'output folder',
  aeTitle: 'AE title',
  calledAeTitle: 'called AE title',
  callingAeTitle: 'calling AE title',
  readerId: 'reader',
  itemIds: 'list of items',
  runId: 'run',
  splitId: 'split',
  instanceId: 'image',
  itemId: 'dataset item',
};

function fieldName(path: readonly PropertyKey[]): string {
  const keys = path.filter((k): k is string => typeof k === 'string');
  const last = keys[keys.length - 1];
  if (last === undefined) return 'request';
  // A unit at the end of a name reads as one: "delayMs" → "delay (ms)".
  const words = FIELD_WORDS[last] ?? last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase().replace(/ (ms|px|mm|kb|mb)$/, ' ($1)');
  const index = path.findLast((k): k is number => typeof k === 'number');
  return index === undefined ? words : `${words} (entry ${index + 1})`;
}

/** The value the issue is about, read from the refused input (zod keeps no copy by default). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const kindOf = (value: unknown): string =>
  value === null ? 'empty' : Array.isArray(value) ? 'a list' : typeof value === 'string' ? 'text' : typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'yes/no' : typeof value === 'object' ? 'a group of settings' : typeof value;

const EXPECTED: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'yes or no', array: 'a list', object: 'a group of settings' };
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function sentence(issue: Issue, input: unknown): string {
  const field = fieldName(issue.path);
  const The = capital(`the ${field}`);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (issue.origin === 'string') return `${The} is too long (${typeof value === 'string' ? `${value.length} characters; ` : ''}at most ${limit} are allowed): shorten it.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${The} has too many entries (${Array.isArray(value) ? `${value.length}; ` : ''}at most ${limit}): choose fewer.`;
      return `${The} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${limit}${typeof value === 'number' ? ` (it is ${value})` : ''}: enter a smaller number.`;
    }
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'string') return limit <= 1 ? `${The} is empty: fill it in.` : `${The} is too short (at least ${limit} characters): lengthen it.`;
      if (issue.origin === 'array' || issue.origin === 'set') return limit <= 1 ? `${The} is empty: choose at least one.` : `${The} needs at least ${limit} entries: choose more.`;
      return `${The} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${limit}${typeof value === 'number' ? ` (it is ${value})` : ''}: enter a larger number.`;
    }
    case 'invalid_type':
      if (value === undefined) return `${The} is missing: fill it in.`;
      return `${The} must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${kindOf(value)}: correct it.`;
    case 'invalid_value':
      return `${The} must be one of ${issue.values.map((v) => `"${String(v)}"`).join(', ')}${value !== undefined ? ` (not "${String(value)}")` : ''}: pick one of those.`;
    case 'invalid_format':
      return `${The} is not in the expected form${issue.format && issue.format !== 'regex' ? ` (${issue.format})` : ''}: check what was typed.`;
    case 'not_multiple_of':
      return `${The} must be a multiple of ${issue.divisor}: adjust it.`;
    case 'unrecognized_keys':
      return `${capital(issue.keys.map((k) => `"${k}"`).join(', '))} ${issue.keys.length === 1 ? 'is not a setting' : 'are not settings'} this action takes${issue.path.length ? ` in the ${field}` : ''}: leave ${issue.keys.length === 1 ? 'it' : 'them'} out.`;
    case 'invalid_union':
      return `${The} is not in any form this action accepts: check what was typed.`;
    default:
      return `${The} was refused (${issue.message}): check what was typed.`;
  }
}

/** One sentence per refused field, in order, each field named once (the first problem found with it). */
export function plainIssues(issues: readonly Issue[], input: unknown): string {
  const seen = new Set<string>();
  const sentences: string[] = [];
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    sentences.push(sentence(issue, input));
  }
  return sentences.join(' ');
}
