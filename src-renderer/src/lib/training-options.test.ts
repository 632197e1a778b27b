// The Training screen's model options against the contract's own zod schema: every option on keeps a configuration
// valid, each off removes its keys (and a section it empties), unrelated keys survive the round trip, and text that
// is not a JSON object is never touched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainingInvokes } from '../../../src-preload/channels/training.ts';
import { PRESETS } from './training-config.ts';
import { methodsNote, optionsOf, TRAINING_OPTIONS, withOption, type OptionId } from './training-options.ts';

const schema = trainingInvokes['training.start'].input.shape.config;
const text = (value: unknown) => JSON.stringify(value, null, 2);
/** The last "on" choice of each option: FixMatch's τ 0.8, every other option's "on". */
const onValue = (id: OptionId) => TRAINING_OPTIONS.find((o) => o.id === id)!.choices.at(-1)!.value;
const allOn = (start: string) => TRAINING_OPTIONS.reduce((t, o) => withOption(t, o.id, onValue(o.id)), start);
const stateOf = (configText: string) => Object.fromEntries(optionsOf(JSON.parse(configText)).map((s) => [s.option.id, s.value]));

test('every option on keeps each preset, and an empty configuration, valid for the contract', () => {
  for (const start of [text(PRESETS.quick), text(PRESETS.full), '{}']) {
    const on = allOn(start);
    const parsed = schema.safeParse(JSON.parse(on));
    assert.ok(parsed.success, `${on}\n${JSON.stringify(parsed.error?.issues)}`);
    assert.deepEqual(stateOf(on), { 'per-image-normalisation': 'on', 'native-scale': 'on', byol: 'on', 'grey-level-augmentation': 'on', 'vertical-flip': 'on', fixmatch: 'tau-0.8' });
    // What the parsed configuration carries is what each option's experiment measured.
    const config = parsed.data!;
    assert.deepEqual(config.input, { fit: 'pad', normalisation: 'per-image' });
    assert.equal(config.pretrain.objective, 'byol');
    assert.deepEqual([config.augment.gamma, config.augment.blurSigma, config.augment.blurProbability, config.augment.noise, config.augment.verticalFlip], [0.3, 1, 0.5, 0.03, true]);
    assert.deepEqual(config.finetune.unlabeledConsistency, { weight: 1, threshold: 0.8, ratio: 2 });
  }
});

test('each option off removes its keys, and a section it leaves empty, so the default applies', () => {
  const on = allOn(text(PRESETS.full));
  const keysOf: Record<OptionId, [string, string[]]> = {
    'per-image-normalisation': ['input', ['normalisation']],
    'native-scale': ['input', ['fit']],
    byol: ['pretrain', ['objective']],
    'grey-level-augmentation': ['augment', ['gamma', 'blurSigma', 'blurProbability', 'noise']],
    'vertical-flip': ['augment', ['verticalFlip']],
    fixmatch: ['finetune', ['unlabeledConsistency']],
  };
  for (const option of TRAINING_OPTIONS) {
    const off = JSON.parse(withOption(on, option.id, 'off')) as Record<string, Record<string, unknown> | undefined>;
    const [section, keys] = keysOf[option.id];
    for (const key of keys) assert.equal(off[section]?.[key], undefined, `${option.id} leaves ${section}.${key}`);
    assert.equal(stateOf(JSON.stringify(off))[option.id], 'off');
    assert.ok(schema.safeParse(off).success);
  }
  // Everything off again gives the preset back exactly: no empty "input" (which would mean patch-v2) or "augment".
  const allOff = TRAINING_OPTIONS.reduce((t, o) => withOption(t, o.id, 'off'), on);
  assert.deepEqual(JSON.parse(allOff), PRESETS.full);
  assert.equal(allOff, text(PRESETS.full));
});

test('keys the options do not own, unknown ones included, survive the round trip in their order', () => {
  const start = { note: 'kept', method: 'ssl-classical', input: { fit: 'pad' }, augment: { rotationDegrees: 3 }, pretrain: { epochs: 1, madeUp: [1, 2] }, finetune: { epochs: 2 }, zzz: { nested: true } };
  let t = text(start);
  for (const option of TRAINING_OPTIONS) t = withOption(withOption(t, option.id, onValue(option.id)), option.id, 'off');
  // native-scale was on and is now off; every other key is as it was.
  const { input: _input, ...rest } = start;
  assert.deepEqual(JSON.parse(t), rest);
  assert.deepEqual(Object.keys(JSON.parse(t)), Object.keys(rest));
  // Setting an option that is on already changes nothing.
  const once = withOption(text(start), 'native-scale', 'on');
  assert.deepEqual(JSON.parse(once), start);
});

test('text that is not a JSON object, or a choice an option lacks, is left as it is; its controls are disabled', () => {
  for (const bad of ['{ "batchSize": ', '[1, 2]', '"quick"', '']) {
    assert.equal(withOption(bad, 'per-image-normalisation', 'on'), bad);
    const states = optionsOf((() => { try { return JSON.parse(bad); } catch { return undefined; } })());
    assert.ok(states.every((s) => !s.enabled && s.value === 'off'));
  }
  const start = text(PRESETS.full);
  assert.equal(withOption(start, 'fixmatch', 'on'), start);
});

test('SSL-only options do not apply to supervised runs: off they are disabled, on they can still be turned off', () => {
  const supervised = text(PRESETS.quick);
  const states = optionsOf(JSON.parse(supervised));
  const byId = Object.fromEntries(states.map((s) => [s.option.id, s]));
  assert.deepEqual(['byol', 'fixmatch'].map((id) => [byId[id]!.applies, byId[id]!.enabled]), [[false, false], [false, false]]);
  assert.ok(states.filter((s) => !['byol', 'fixmatch'].includes(s.option.id)).every((s) => s.applies && s.enabled));
  const byol = optionsOf(JSON.parse(withOption(supervised, 'byol', 'on'))).find((s) => s.option.id === 'byol')!;
  assert.deepEqual([byol.value, byol.applies, byol.enabled], ['on', false, true]);
  assert.equal(methodsNote(byol), 'SSL methods only: the method set here ignores it');
  assert.equal(methodsNote(optionsOf({}).find((s) => s.option.id === 'fixmatch')!), 'SSL methods only');
  assert.equal(methodsNote(byId['vertical-flip']!), '');
  // The method left out is the contract's default, ssl-quantum, which reads every option.
  assert.ok(optionsOf({}).every((s) => s.applies && s.enabled));
});

test('FixMatch with a threshold no control writes reads as custom; the contract default 0.95 reads as τ 0.95', () => {
  assert.equal(stateOf(text({ finetune: { unlabeledConsistency: { threshold: 0.9 } } })).fixmatch, 'custom');
  assert.equal(stateOf(text({ finetune: { unlabeledConsistency: {} } })).fixmatch, 'tau-0.95');
  assert.equal(stateOf(text({ augment: { gamma: 0, noise: 0 }, input: { normalisation: 'fixed' } }))['grey-level-augmentation'], 'off');
});
