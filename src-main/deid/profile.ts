// PS3.15 Annex E Basic Application Level Confidentiality Profile from the standard's own Table E.1-1
// (basic-profile-table.ts, generated), with the options of options.ts, resolved to one action per element.
import { BASIC_PROFILE_ROWS } from './basic-profile-table.ts';
import { methodDescription, DEFAULT_DEID_OPTIONS, type DeidOptions } from './options.ts';
import type { ProfileRow } from './profile-row.ts';

/**
 * What happens to one element: removed, emptied, given a dummy value of its VR, its UIDs replaced, its date shifted,
 * its text cleaned of the object's identifying values, kept, or (a sequence) kept with its items de-identified.
 * 'pseudonym' is the dummy the app gives Patient's Name and Patient ID: the patient's consistent pseudonym.
 */
export type ElementAction = 'remove' | 'empty' | 'dummy' | 'uid' | 'shift' | 'clean' | 'keep' | 'recurse' | 'pseudonym';

const tagOf = (id: string): number => Number.parseInt(id, 16) >>> 0;

const EXACT_ROWS: ReadonlyMap<number, ProfileRow> = new Map(BASIC_PROFILE_ROWS.filter((row) => /^[0-9a-f]{8}$/.test(row.id)).map((row) => [tagOf(row.id), row]));
/** Repeating groups written with xx in the table (curves 50xx, overlays 60xx): group high byte + element (or any). */
const GROUP_ROWS = BASIC_PROFILE_ROWS.filter((row) => /^[0-9a-f]{2}xx/.test(row.id)).map((row) => ({
  high: Number.parseInt(row.id.slice(0, 2), 16),
  element: row.id.slice(4) === 'xxxx' ? null : Number.parseInt(row.id.slice(4), 16),
  row,
}));
const PRIVATE_ROW = BASIC_PROFILE_ROWS.find((row) => row.id.startsWith('gggg'));

/** The table row that governs a tag, or undefined for attributes the table does not list (retained by the profile). */
export function profileRow(tag: number): ProfileRow | undefined {
  const group = tag >>> 16;
  if (group % 2 === 1) return PRIVATE_ROW;
  const exact = EXACT_ROWS.get(tag);
  if (exact) return exact;
  return GROUP_ROWS.find((g) => g.high === group >>> 8 && (g.element === null || g.element === (tag & 0xffff)))?.row;
}

/**
 * Attributes whose combined code (X/Z, X/D, Z/D, X/Z/D) must resolve to D because they are Type 1 in an IOD the
 * app stores or writes. PS3.15 resolves a combination by the attribute's type in the object's IOD (Type 1 → D,
 * Type 2 → Z, Type 3 → X); the app has no per-IOD module table, so it takes the choice that keeps every IOD it keeps
 * (XA, enhanced XA, SC, SR, CT, MR, US) valid: D where any of them has the attribute as Type 1, otherwise Z where the
 * code offers Z (an empty value is valid for Type 2 and Type 3 alike), otherwise X.
 */
const TYPE_1_IN_STORED_IODS: ReadonlySet<number> = new Set([
  0x00080023, // Content Date: Type 1 in SR Document General
  0x00080033, // Content Time: Type 1 in SR Document General
  0x00181000, // Device Serial Number: Type 1 in Enhanced General Equipment (enhanced XA, CT, MR)
  0x0040a032, // Observation DateTime: Type 1C in SR content items
]);

const PATIENT_PSEUDONYM_TAGS = new Set([0x00100010, 0x00100020]);

/** Sequences that are Type 2 in an IOD the app stores: an empty one is valid there. A Type 3 sequence that is present
 * needs at least one item, so elsewhere a combination offering Z removes the sequence instead. */
const TYPE_2_SEQUENCES: ReadonlySet<number> = new Set([
  0x00400555, // Acquisition Context Sequence: Type 2 in Acquisition Context (enhanced XA, CT, MR)
]);

/**
 * Type 1C attributes whose condition is another attribute's presence: when the profile removes the condition, a
 * dummy would make the object invalid, so the dependent goes too.
 */
export const REQUIRED_ONLY_WITH: ReadonlyMap<number, number> = new Map([
  [0x00120081, 0x00120082], // Ethics Committee Name: required if the Approval Number is present
]);

function resolveCombined(tag: number, code: string, sequence: boolean): ElementAction {
  switch (code) {
    case 'X': return 'remove';
    case 'Z': return 'empty';
    case 'D': return 'dummy';
    case 'U': return 'uid';
    case 'K': return 'keep';
    case 'C': return 'clean';
    case 'X/Z/U*': return 'recurse'; // the sequence stays and its references are remapped, so they still resolve
  }
  const codes = code.split('/');
  if (codes.includes('D') && TYPE_1_IN_STORED_IODS.has(tag)) return 'dummy';
  if (codes.includes('Z') && (!sequence || TYPE_2_SEQUENCES.has(tag))) return 'empty';
  return 'remove';
}

/** The basic profile's own action for a row, before options. */
export function basicAction(tag: number, row: ProfileRow, vr?: string): ElementAction {
  // Name and id get the pseudonym (a dummy both Z and Z/D allow) so one patient's studies stay grouped.
  if (PATIENT_PSEUDONYM_TAGS.has(tag)) return 'pseudonym';
  const condition = REQUIRED_ONLY_WITH.get(tag);
  if (condition !== undefined) {
    const conditionRow = profileRow(condition);
    if (conditionRow && basicAction(condition, conditionRow) === 'remove') return 'remove';
  }
  return resolveCombined(tag, row.basic, vr === 'SQ' || row.name.endsWith('Sequence'));
}

/** An overlay plane (60xx) whose Overlay Data the profile removes is invalid without it: the whole group goes. */
const isOverlayGroup = (group: number): boolean => group >= 0x6000 && group <= 0x601e && group % 2 === 0;

/** Tags whose VR matters when the source is implicit VR and does not say it (dates, times, UIDs, names). */
export const IMPLICIT_VRS: ReadonlyMap<number, string> = new Map<number, string>([
  [0x00080012, 'DA'], [0x00080013, 'TM'], [0x00080014, 'UI'], [0x00080018, 'UI'], [0x00080020, 'DA'], [0x00080021, 'DA'],
  [0x00080022, 'DA'], [0x00080023, 'DA'], [0x0008002a, 'DT'], [0x00080030, 'TM'], [0x00080031, 'TM'], [0x00080032, 'TM'],
  [0x00080033, 'TM'], [0x00081155, 'UI'], [0x00083010, 'UI'], [0x00181002, 'UI'], [0x0020000d, 'UI'], [0x0020000e, 'UI'],
  [0x00200052, 'UI'], [0x00200200, 'UI'], [0x00209161, 'UI'], [0x00209164, 'UI'], [0x0040a124, 'UI'], [0x00880140, 'UI'],
  [0x30060024, 'UI'], [0x00080016, 'UI'], [0x00081150, 'UI'], [0x00080090, 'PN'], [0x00100010, 'PN'], [0x00081050, 'PN'],
  [0x00081070, 'PN'], [0x00081060, 'PN'], [0x00081048, 'PN'], [0x00100030, 'DA'], [0x300a0006, 'DA'], [0x30060008, 'DA'],
  [0x00400244, 'DA'], [0x00400245, 'TM'], [0x00100020, 'LO'], [0x00080050, 'SH'], [0x00200010, 'SH'],
]);

/**
 * The VR a table row's name implies, for a dummy in an implicit-VR source that does not say it: the table has no VR
 * column, and an empty value would break Type 1 attributes. Text is the fallback (valid for every string VR but AS).
 */
export function vrImpliedByName(row: ProfileRow): string {
  const selector = /^Selector (\w\w) Value$/.exec(row.name);
  if (selector) return selector[1] as string;
  if (/DateTime$/.test(row.name)) return 'DT';
  if (/Date$|^Date of/.test(row.name)) return 'DA';
  if (/Time$/.test(row.name)) return 'TM';
  if (/UID$/.test(row.name)) return 'UI';
  return 'LO';
}

/** Standard UIDs (SOP classes, transfer syntaxes, coding schemes) are not identifying and are kept. */
export const isWellKnownUid = (uid: string): boolean => uid.startsWith('1.2.840.10008.');

/** The action for one element, given its VR (or undefined for implicit sources) and the catalog's options. */
export function actionFor(tag: number, vr: string | undefined, options: DeidOptions = DEFAULT_DEID_OPTIONS): ElementAction {
  const row = profileRow(tag);
  const effectiveVr = vr ?? IMPLICIT_VRS.get(tag);
  if (row) {
    const chosen = row.options ?? {};
    if (options.retainPatientCharacteristics && chosen.rtnPatCharsOpt) return chosen.rtnPatCharsOpt === 'K' ? 'keep' : 'clean';
    if (options.cleanDescriptors && chosen.cleanDescOpt === 'C') return 'clean';
    // Shifted dates are the modified-dates option; a time of day cannot be shifted without its date, so TM values
    // get the basic profile's action (the time of day is itself a quasi-identifier), and DT keeps only its date.
    if (options.retainLongitudinalModifiedDates && chosen.rtnLongModifDatesOpt === 'C' && effectiveVr !== 'TM') return 'shift';
    return basicAction(tag, row, effectiveVr);
  }
  if (isOverlayGroup(tag >>> 16) && actionFor(((tag & 0xffff0000) | 0x3000) >>> 0, 'OW', options) === 'remove') return 'remove';
  // Outside the table: the profile retains, but values that are identifying by nature are still treated.
  if (effectiveVr === 'UI') return 'uid';
  if (effectiveVr === 'PN') return 'empty';
  if (effectiveVr === 'DA' || effectiveVr === 'DT') return options.retainLongitudinalModifiedDates ? 'shift' : 'empty';
  return 'keep';
}

/** The action of every concrete tag the table lists, under the default options. */
export const PROFILE_ACTIONS: ReadonlyMap<number, ElementAction> = new Map(
  [...EXACT_ROWS.keys()].map((tag) => [tag, actionFor(tag, undefined)] as const),
);

/** (0012,0063) for the app's own research-mode objects, which apply the default options. */
export const DEIDENTIFICATION_METHOD = methodDescription(DEFAULT_DEID_OPTIONS).join('\\');
