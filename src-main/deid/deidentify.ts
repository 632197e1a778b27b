// Applies the basic profile (profile.ts, from PS3.15 Table E.1-1) with the catalog's options to a parsed DICOM object and
// writes the de-identified copy the app keeps. Pure apart from the key: returns the bytes and the pairs for the vault.
import type { DataSet, Element } from 'dicom-parser';
import { encodeText, EXPLICIT_LITTLE_ENDIAN, type OutElement, type ParsedDicom, text, writeDataSet, writePart10 } from '../dicom/index.ts';
import { dummyValue } from './dummy-values.ts';
import { deidentificationMethodElements } from './method-elements.ts';
import { DEFAULT_DEID_OPTIONS, type DeidOptions } from './options.ts';
import { actionFor, basicAction, IMPLICIT_VRS, isWellKnownUid, profileRow, vrImpliedByName, type ElementAction } from './profile.ts';
import type { ProfileRow } from './profile-row.ts';
import { dateShiftDays, patientPseudonym, remapUid, shiftDate, type PseudonymKey } from './pseudonyms.ts';

export const IMPLEMENTATION_CLASS_UID = '2.25.187049716345228813950374961218062346531';
export const IMPLEMENTATION_VERSION = 'ANGIO_SSLQ_01';

export interface ReidentificationPair {
  kind: 'uid' | 'patient-id' | 'patient-name' | 'date-shift';
  original: string;
  replacement: string;
}

export interface Deidentified {
  bytes: Uint8Array;
  transferSyntaxUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  studyUid: string;
  seriesUid: string;
  patientPseudonym: string;
  /** The source had no Patient ID: the pseudonym was derived from other data and the patient is flagged. */
  noPatientId: boolean;
  studyDate: string | null;
  pairs: ReidentificationPair[];
}

const tagNumber = (key: string): number => Number.parseInt(key.slice(1), 16) >>> 0;
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

function rawValue(ds: DataSet, e: Element): Uint8Array {
  return ds.byteArray.slice(e.dataOffset, e.dataOffset + e.length);
}

/** Implicit sources do not say which values are UIDs: these look like one (digits and ≥ 3 dots, nothing else). */
const looksLikeUid = (value: string): boolean => /^[0-9]+(\.[0-9]+){3,}$/.test(value);

interface Context {
  key: PseudonymKey;
  pseudonym: string;
  shiftDays: number;
  explicit: boolean;
  options: DeidOptions;
  /** The object's own identifying words, scrubbed from the descriptors the Clean options keep. */
  identifyingWords: string[];
  pairs: Map<string, ReidentificationPair>;
}

function remember(ctx: Context, pair: ReidentificationPair): void {
  ctx.pairs.set(`${pair.kind}:${pair.original}`, pair);
}

function mapUidValue(ctx: Context, value: string): string {
  return value
    .split('\\')
    .map((uid) => {
      const clean = uid.replace(/[\0 ]+$/, '').trim();
      if (!clean || isWellKnownUid(clean)) return clean;
      const replacement = remapUid(ctx.key, clean);
      remember(ctx, { kind: 'uid', original: clean, replacement });
      return replacement;
    })
    .join('\\');
}

/** DA (YYYYMMDD, or the old YYYY.MM.DD) or DT: never a TM, whose HHMMSS.FFFFFF has at most six digits before its dot. */
const DATE_OR_DATETIME = /^(\d{8}|\d{4}\.\d{2}\.\d{2})(\d{0,6}(\.\d{1,6})?)?([+-]\d{4})?$/;

/** Each value of a DA or DT shifted by the patient's days (a DT keeps only its date); null when one is not a date. */
function shiftedValue(value: string, days: number): string | null {
  const shifted = value.split('\\').map((part) => (part.trim() === '' ? '' : DATE_OR_DATETIME.test(part.trim()) ? shiftDate(part, days) : null));
  return shifted.some((part) => part === null) ? null : shifted.join('\\');
}

function cleanedText(ctx: Context, value: string): string {
  let out = value;
  for (const word of ctx.identifyingWords) out = out.split(word).join('*'.repeat(Math.min(3, word.length)));
  return out;
}

const TEXT_VRS = new Set(['AE', 'CS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT']);

function withValue(tag: number, vr: string | undefined, value: Uint8Array): OutElement {
  return { tag, vr, value };
}

/** How an element whose action is fixed by the profile is written; null to drop it. */
function applied(ctx: Context, ds: DataSet, e: Element, tag: number, vr: string | undefined, action: ElementAction, row: ProfileRow | undefined): OutElement | null {
  const raw = rawValue(ds, e);
  const value = latin1(raw).replace(/[\0 ]+$/, '');
  const effectiveVr = vr ?? IMPLICIT_VRS.get(tag);
  switch (action) {
    case 'remove':
      return null;
    case 'empty':
      return withValue(tag, vr, new Uint8Array(0));
    case 'dummy': {
      // Implicit sources do not say the VR: the row's name implies it; inside a dummied sequence, an empty value.
      const dummyVr = effectiveVr ?? (row ? vrImpliedByName(row) : undefined);
      if (dummyVr === 'UI') return withValue(tag, vr, encodeText(mapUidValue(ctx, value), 'UI'));
      return withValue(tag, vr, dummyVr ? dummyValue(dummyVr) : new Uint8Array(0));
    }
    case 'pseudonym':
      return withValue(tag, vr, encodeText(ctx.pseudonym, vr ?? 'LO'));
    case 'uid':
      return withValue(tag, vr, encodeText(mapUidValue(ctx, value), 'UI'));
    case 'shift': {
      const dateLike = effectiveVr === 'DA' || effectiveVr === 'DT' || effectiveVr === undefined;
      const shifted = dateLike ? shiftedValue(value, ctx.shiftDays) : null;
      if (shifted !== null) return withValue(tag, vr, encodeText(shifted, effectiveVr ?? 'DA'));
      // Not a date after all (an OB timestamp, a damaged value): the basic profile's own action instead.
      return row ? applied(ctx, ds, e, tag, vr, basicAction(tag, row, effectiveVr), row) : null;
    }
    case 'clean':
      if (effectiveVr && TEXT_VRS.has(effectiveVr)) return withValue(tag, vr, encodeText(cleanedText(ctx, value), effectiveVr));
      return withValue(tag, vr, raw);
    default:
      if (!ctx.explicit && looksLikeUid(value) && !isWellKnownUid(value)) return withValue(tag, vr, encodeText(mapUidValue(ctx, value), 'UI'));
      return withValue(tag, vr, raw);
  }
}

/** Every value of a sequence the profile replaces with a dummy: UIDs remapped, everything else a dummy of its VR. */
function dummyItems(ds: DataSet, ctx: Context): OutElement[] {
  const out: OutElement[] = [];
  for (const key of Object.keys(ds.elements)) {
    const e = ds.elements[key] as Element;
    const tag = tagNumber(key);
    if (tag >>> 16 === 0xfffe || (tag >>> 16) % 2 === 1) continue;
    const vr = ctx.explicit ? e.vr : undefined;
    if (e.items) {
      out.push({ tag, vr: 'SQ', items: e.items.map((item) => (item.dataSet ? dummyItems(item.dataSet, ctx) : [])) });
      continue;
    }
    const element = applied(ctx, ds, e, tag, vr, 'dummy', undefined);
    if (element) out.push(element);
  }
  return out;
}

function transform(ds: DataSet, ctx: Context): OutElement[] {
  const out: OutElement[] = [];
  for (const key of Object.keys(ds.elements)) {
    const e = ds.elements[key] as Element;
    const tag = tagNumber(key);
    if (tag >>> 16 === 0x0002 || tag >>> 16 === 0xfffe) continue; // meta is rewritten; item tags are structure
    const vr = ctx.explicit ? e.vr : undefined;
    const action = actionFor(tag, vr, ctx.options);
    if (action === 'remove') continue;
    if (tag === 0x7fe00010 && e.encapsulatedPixelData) {
      const fragments = e.fragments ?? [];
      const last = fragments[fragments.length - 1];
      const end = last ? last.position + last.length : e.dataOffset;
      out.push({ tag, vr: 'OB', encapsulated: ds.byteArray.slice(e.dataOffset, end) });
      continue;
    }
    if (e.items) {
      // Sequences are processed recursively; Z empties one, D keeps its shape with dummy values.
      const items = action === 'empty' ? [] : e.items.map((item) => (item.dataSet ? (action === 'dummy' ? dummyItems(item.dataSet, ctx) : transform(item.dataSet, ctx)) : []));
      out.push({ tag, vr: 'SQ', items });
      continue;
    }
    const element = applied(ctx, ds, e, tag, vr, action, profileRow(tag));
    if (element) out.push(element);
  }
  return out;
}

/** The words of the object's own identifying values (names, ids, places), longest first, for the Clean options. */
function identifyingWords(ds: DataSet): string[] {
  const words = new Set<string>();
  for (const key of Object.keys(ds.elements)) {
    const tag = tagNumber(key);
    const row = profileRow(tag);
    const e = ds.elements[key] as Element;
    // Names, ids, places and dates; not the descriptors and characteristics the options may keep themselves.
    if (!row || e.items || (tag >>> 16) % 2 === 1 || row.basic === 'U' || row.options?.cleanDescOpt || row.options?.rtnPatCharsOpt) continue;
    const vr = e.vr ?? IMPLICIT_VRS.get(tag);
    if (vr && !['AE', 'DA', 'LO', 'PN', 'SH'].includes(vr)) continue;
    const value = latin1(rawValue(ds, e)).replace(/[\0 ]+$/, '');
    for (const word of value.split(/[\s^\\,=;/]+/)) if (word.length >= 3) words.add(word);
  }
  return [...words].sort((a, b) => b.length - a.length);
}

/** The original patient identity the pseudonym is derived from, and whether it had a real Patient ID. */
export function patientIdentity(ds: DataSet): { identity: string; hasId: boolean } {
  const id = text(ds, 'x00100020');
  if (id) return { identity: `id:${id}|issuer:${text(ds, 'x00100021') ?? ''}`, hasId: true };
  const name = text(ds, 'x00100010') ?? '';
  const birth = text(ds, 'x00100030') ?? '';
  // Without an id, fall back to name + birth date, or to the study so that one study stays one patient.
  return { identity: name || birth ? `name:${name}|birth:${birth}` : `study:${text(ds, 'x0020000d') ?? 'unknown'}`, hasId: false };
}

export function deidentify(parsed: ParsedDicom, key: PseudonymKey, options: DeidOptions = DEFAULT_DEID_OPTIONS): Deidentified {
  const ds = parsed.dataSet;
  const { identity, hasId } = patientIdentity(ds);
  const pseudonym = patientPseudonym(key, identity);
  const ctx: Context = {
    key, pseudonym, shiftDays: dateShiftDays(key, pseudonym), explicit: parsed.transferSyntax.explicitVr, options,
    identifyingWords: options.cleanDescriptors || options.retainPatientCharacteristics ? identifyingWords(ds) : [], pairs: new Map(),
  };
  const elements = transform(ds, ctx);
  const place = (element: OutElement): void => {
    const at = elements.findIndex((e) => e.tag === element.tag);
    if (at >= 0) elements[at] = element;
    else elements.push(element);
  };
  const put = (tag: number, vr: string, value: string): void => place({ tag, vr, value: encodeText(value, vr) });
  for (const element of deidentificationMethodElements(options)) place(element);
  if (options.retainLongitudinalModifiedDates) put(0x00280303, 'CS', 'MODIFIED');
  const sopClassUid = text(ds, 'x00080016') ?? '';
  const originalSop = text(ds, 'x00080018') ?? '';
  const originalStudy = text(ds, 'x0020000d') ?? `${originalSop}.study`;
  const originalSeries = text(ds, 'x0020000e') ?? `${originalSop}.series`;
  const sopInstanceUid = mapUidValue(ctx, originalSop);
  const studyUid = mapUidValue(ctx, originalStudy);
  const seriesUid = mapUidValue(ctx, originalSeries);
  // Objects without study/series UIDs (raw data sets) get them, so every instance has a place in the hierarchy.
  if (!text(ds, 'x0020000d')) put(0x0020000d, 'UI', studyUid);
  if (!text(ds, 'x0020000e')) put(0x0020000e, 'UI', seriesUid);
  const studyDateRaw = text(ds, 'x00080020');
  const studyDate = studyDateRaw ? shiftDate(studyDateRaw, ctx.shiftDays) : null;
  // Deflated sources are stored inflated; every other source keeps its own encoding.
  const ts = parsed.transferSyntax.deflated ? { uid: EXPLICIT_LITTLE_ENDIAN, littleEndian: true, explicitVr: true } : parsed.transferSyntax;
  const body = writeDataSet(elements, { littleEndian: ts.littleEndian, explicitVr: ts.explicitVr });
  const bytes = writePart10(
    { sopClassUid, sopInstanceUid, transferSyntaxUid: ts.uid, implementationClassUid: IMPLEMENTATION_CLASS_UID, implementationVersionName: IMPLEMENTATION_VERSION },
    body,
  );
  remember(ctx, { kind: 'date-shift', original: pseudonym, replacement: String(ctx.shiftDays) });
  const id = text(ds, 'x00100020');
  if (id) remember(ctx, { kind: 'patient-id', original: id, replacement: pseudonym });
  const name = text(ds, 'x00100010');
  if (name) remember(ctx, { kind: 'patient-name', original: name, replacement: pseudonym });
  return {
    bytes,
    transferSyntaxUid: ts.uid,
    sopInstanceUid,
    sopClassUid,
    studyUid,
    seriesUid,
    patientPseudonym: pseudonym,
    noPatientId: !hasId,
    studyDate,
    pairs: [...ctx.pairs.values()],
  };
}
