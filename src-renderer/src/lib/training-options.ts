// The model options a person can switch on from the Training screen instead of writing JSON. The configuration
// text stays the one source of truth: each option's state is read from it, and a control rewrites only that
// option's keys. Off removes the keys, so the contract's default applies and earlier configurations stay as they were.
import { METHODS } from '../../../src-preload/schemas/training-config.ts';

export type Method = (typeof METHODS)[number];
export type OptionId = 'per-image-normalisation' | 'native-scale' | 'byol' | 'grey-level-augmentation' | 'vertical-flip' | 'fixmatch';

export interface OptionChoice {
  value: string;
  label: string;
}

export interface TrainingOption {
  id: OptionId;
  /** What the option does, in plain words. */
  label: string;
  /** What it did at the demo budget (docs/results.md, "A better model"). */
  measured: string;
  /** The methods whose training reads it; the others ignore it. */
  methods: readonly Method[];
  /** 'off' first; one more choice makes a checkbox, more make a list. */
  choices: readonly OptionChoice[];
}

type Json = Record<string, unknown>;

/** Where an option lives in the configuration: the section and the keys it owns, and what each choice writes. */
interface Placement {
  section: 'input' | 'augment' | 'pretrain' | 'finetune';
  keys: readonly string[];
  write: Record<string, Json>;
  /** Which choice a section's values amount to: 'off' (a default set explicitly too), a choice, or 'custom'. */
  read: (section: Json) => string;
}

const SSL_METHODS: readonly Method[] = ['ssl-quantum', 'ssl-classical'];
const OFF: OptionChoice = { value: 'off', label: 'off' };
const ON: OptionChoice = { value: 'on', label: 'on' };
/** The values experiments/demo-simclr-intensity.json measured. */
const GREY_LEVELS = { gamma: 0.3, blurSigma: 1, blurProbability: 0.5, noise: 0.03 };
const FIXMATCH_THRESHOLDS = { 'tau-0.95': 0.95, 'tau-0.8': 0.8 } as const;
const isOn = (value: unknown) => typeof value === 'number' && value > 0;

/** What every option's line is measured against. */
export const MEASURED_AGAINST = 'Measured at the demo budget, where the demo model without any of these reached test AUC 0.793 (AMD EPYC, 2 cores; docs/results.md).';

export const TRAINING_OPTIONS: readonly TrainingOption[] = [
  {
    id: 'per-image-normalisation',
    label: 'Stretch each image\'s contrast (1st–99th percentile)',
    measured: 'test AUC 0.805 (3 seeds 0.803 ± 0.002); grey-level shifts then cost at most 0.016, strong blur and noise a little more',
    methods: METHODS,
    choices: [OFF, ON],
  },
  {
    id: 'native-scale',
    label: 'Keep native scale (pad patches instead of stretching them)',
    measured: 'test AUC 0.763 on a 96 px canvas',
    methods: METHODS,
    choices: [OFF, ON],
  },
  {
    id: 'byol',
    label: 'BYOL pretraining instead of SimCLR',
    measured: 'test AUC 0.735 at the same steps',
    methods: SSL_METHODS,
    choices: [OFF, ON],
  },
  {
    id: 'grey-level-augmentation',
    label: 'Grey-level augmentation (gamma, blur, noise)',
    measured: 'test AUC 0.791',
    methods: METHODS,
    choices: [OFF, ON],
  },
  {
    id: 'vertical-flip',
    label: 'Upside-down views in training (vertical flips)',
    measured: 'test AUC 0.769',
    methods: METHODS,
    choices: [OFF, ON],
  },
  {
    id: 'fixmatch',
    label: 'Learn from unlabelled images while fine-tuning (FixMatch)',
    measured: 'confidence ≥ 0.95: test AUC 0.774; ≥ 0.8: 0.793; needs the unlabelled pool and pretraining',
    methods: SSL_METHODS,
    choices: [OFF, { value: 'tau-0.95', label: 'on, pseudo-labels at confidence ≥ 0.95' }, { value: 'tau-0.8', label: 'on, pseudo-labels at confidence ≥ 0.8' }],
  },
];

const PLACEMENTS: Record<OptionId, Placement> = {
  'per-image-normalisation': { section: 'input', keys: ['normalisation'], write: { on: { normalisation: 'per-image' } }, read: (s) => (s.normalisation === 'per-image' ? 'on' : 'off') },
  'native-scale': { section: 'input', keys: ['fit'], write: { on: { fit: 'pad' } }, read: (s) => (s.fit === 'pad' ? 'on' : 'off') },
  byol: { section: 'pretrain', keys: ['objective'], write: { on: { objective: 'byol' } }, read: (s) => (s.objective === 'byol' ? 'on' : 'off') },
  'grey-level-augmentation': { section: 'augment', keys: Object.keys(GREY_LEVELS), write: { on: GREY_LEVELS }, read: (s) => (isOn(s.gamma) || isOn(s.blurSigma) || isOn(s.noise) ? 'on' : 'off') },
  'vertical-flip': { section: 'augment', keys: ['verticalFlip'], write: { on: { verticalFlip: true } }, read: (s) => (s.verticalFlip === true ? 'on' : 'off') },
  fixmatch: {
    section: 'finetune',
    keys: ['unlabeledConsistency'],
    write: Object.fromEntries(Object.entries(FIXMATCH_THRESHOLDS).map(([value, threshold]) => [value, { unlabeledConsistency: { weight: 1, threshold, ratio: 2 } }])),
    read: (s) => {
      const u = s.unlabeledConsistency;
      if (u === undefined) return 'off';
      const threshold = isObject(u) ? (u.threshold ?? 0.95) : null;
      return Object.entries(FIXMATCH_THRESHOLDS).find(([, t]) => t === threshold)?.[0] ?? 'custom';
    },
  },
};

export interface OptionState {
  option: TrainingOption;
  /** 'off', one of the option's choices, or 'custom' when the JSON sets it on with values no choice writes. */
  value: string;
  /** The configured method reads this option. */
  applies: boolean;
  /** The control can change it: the configuration is a JSON object, and an option the method ignores can only be turned off. */
  enabled: boolean;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The configuration text as a JSON object, or null when it is not one (the controls then stay disabled). */
export function configObject(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** Each option's state in a parsed configuration; the method left out is the contract's default, ssl-quantum. */
export function optionsOf(config: unknown): OptionState[] {
  const object = isObject(config) ? config : null;
  const method = object?.method ?? 'ssl-quantum';
  return TRAINING_OPTIONS.map((option) => {
    const placement = PLACEMENTS[option.id];
    const section = object?.[placement.section];
    const value = isObject(section) ? placement.read(section) : 'off';
    const applies = (option.methods as readonly unknown[]).includes(method);
    return { option, value, applies, enabled: object !== null && (applies || value !== 'off') };
  });
}

/** Which methods read an option, when not all of them do, and whether the configured one is among them. */
export function methodsNote(state: OptionState): string {
  if (state.option.methods.length === METHODS.length) return '';
  const which = state.option.methods.every((m) => m.startsWith('ssl-')) ? 'SSL methods only' : `${state.option.methods.join(' and ')} only`;
  return state.applies ? which : `${which}: the method set here ignores it`;
}

/**
 * The configuration text with one option set to `value` ('off' or one of its choices): only that option's keys
 * change, everything else (unknown keys included) is kept, and a section left empty goes too. Text that is not a
 * JSON object, or a value the option does not offer, comes back untouched.
 */
export function withOption(configText: string, id: OptionId, value: string): string {
  const config = configObject(configText);
  const placement = PLACEMENTS[id];
  if (!config || (value !== 'off' && !placement.write[value])) return configText;
  const existing = config[placement.section];
  const section: Json = isObject(existing) ? { ...existing } : {};
  for (const key of placement.keys) delete section[key];
  Object.assign(section, value === 'off' ? {} : placement.write[value]);
  const next: Json = { ...config, [placement.section]: section };
  if (Object.keys(section).length === 0) delete next[placement.section];
  return JSON.stringify(next, null, 2);
}
