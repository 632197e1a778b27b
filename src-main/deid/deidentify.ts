// Applies the basic profile (profile.ts) to a parsed DICOM object and writes the de-identified copy the app keeps.
// Pure apart from the key: returns the new bytes and the original → replacement pairs for the vault.
import type { DataSet, Element } from 'dicom-parser';
import { text, type ParsedDicom } from '../dicom/dataset.ts';
import { EXPLICIT_LITTLE_ENDIAN } from '../dicom/transfer-syntaxes.ts';
import { encodeText, writeDataSet, writePart10, type OutElement } from '../dicom/writer.ts';
import { actionFor, DEIDENTIFICATION_METHOD, isWellKnownUid } from './profile.ts';
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

function transform(ds: DataSet, ctx: Context): OutElement[] {
  const out: OutElement[] = [];
  for (const key of Object.keys(ds.elements)) {
    const e = ds.elements[key] as Element;
    const tag = tagNumber(key);
    if (tag >>> 16 === 0x0002 || tag >>> 16 === 0xfffe) continue; // meta is rewritten; item tags are structure
    const vr = ctx.explicit ? e.vr : undefined;
    const action = actionFor(tag, vr);
    if (action === 'X') continue;
    if (tag === 0x7fe00010 && e.encapsulatedPixelData) {
      const fragments = e.fragments ?? [];
      const last = fragments[fragments.length - 1];
      const end = last ? last.position + last.length : e.dataOffset;
      out.push({ tag, vr: 'OB', encapsulated: ds.byteArray.slice(e.dataOffset, end) });
      continue;
    }
    if (e.items) {
      out.push({ tag, vr: 'SQ', items: e.items.map((item) => (item.dataSet ? transform(item.dataSet, ctx) : [])) });
      continue;
    }
    const raw = rawValue(ds, e);
    const value = latin1(raw).replace(/[\0 ]+$/, '');
    const effectiveVr = vr ?? 'UN';
    switch (action) {
      case 'Z':
      case 'empty':
        out.push({ tag, vr, value: new Uint8Array(0) });
        break;
      case 'P':
        out.push({ tag, vr, value: encodeText(ctx.pseudonym, vr ?? 'LO') });
        break;
      case 'U':
      case 'uid-or-keep':
        out.push({ tag, vr, value: encodeText(mapUidValue(ctx, value), 'UI') });
        break;
      case 'date': {
        const shifted = value === '' ? '' : shiftDate(value, ctx.shiftDays);
        out.push({ tag, vr, value: encodeText(shifted ?? '', effectiveVr) });
        break;
      }
      case 'S':
        out.push({ tag, vr, value: encodeText(shiftDate(value, ctx.shiftDays) ?? '', effectiveVr) });
        break;
      default:
        if (!ctx.explicit && looksLikeUid(value) && !isWellKnownUid(value)) {
          out.push({ tag, vr, value: encodeText(mapUidValue(ctx, value), 'UI') });
        } else {
          out.push({ tag, vr, value: raw });
        }
    }
  }
  return out;
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

export function deidentify(parsed: ParsedDicom, key: PseudonymKey): Deidentified {
  const ds = parsed.dataSet;
  const { identity, hasId } = patientIdentity(ds);
  const pseudonym = patientPseudonym(key, identity);
  const ctx: Context = { key, pseudonym, shiftDays: dateShiftDays(key, pseudonym), explicit: parsed.transferSyntax.explicitVr, pairs: new Map() };
  const elements = transform(ds, ctx);
  const put = (tag: number, vr: string, value: string): void => {
    const at = elements.findIndex((e) => e.tag === tag);
    const element = { tag, vr, value: encodeText(value, vr) };
    if (at >= 0) elements[at] = element;
    else elements.push(element);
  };
  put(0x00120062, 'CS', 'YES');
  put(0x00120063, 'LO', DEIDENTIFICATION_METHOD);
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
