// The network settings form and the PACS query form: text fields as typed, checked with the contract's own schemas
// (so the form refuses what main would refuse), with one sentence per field that says what to type instead.
import { AeTitle, Host, Port, type NetworkSettings, type NetworkSettingsPatch, type StudyQuery } from '../../../src-preload/channels/network.ts';

export interface PeerDraft {
  aeTitle: string;
  host: string;
  description: string;
}

export interface SettingsDraft {
  aeTitle: string;
  bindAddress: string;
  port: string;
  retrieveMethod: 'move' | 'get';
  pacsAeTitle: string;
  pacsHost: string;
  pacsPort: string;
  peers: PeerDraft[];
}

/** Field name (e.g. 'port', 'pacsHost', 'peers.2.aeTitle') → what is wrong with it. */
export type Problems = Record<string, string>;

export function draftFrom(settings: NetworkSettings): SettingsDraft {
  return {
    aeTitle: settings.aeTitle,
    bindAddress: settings.bindAddress,
    port: String(settings.port),
    retrieveMethod: settings.retrieveMethod,
    pacsAeTitle: settings.pacs?.aeTitle ?? '',
    pacsHost: settings.pacs?.host ?? '',
    pacsPort: settings.pacs ? String(settings.pacs.port) : '',
    peers: settings.allowedPeers.map((p) => ({ aeTitle: p.aeTitle, host: p.host ?? '', description: p.description })),
  };
}

const AE_HELP = 'Use 1 to 16 printable characters without a backslash, e.g. ANGIO_WS1.';
const HOST_HELP = 'Use an IP address such as 192.168.1.20 or a host name.';
const PORT_HELP = 'Use a whole number from 1 to 65535 (DICOM commonly uses 104 or 11112).';

function check(problems: Problems, field: string, ok: boolean, help: string): void {
  if (!ok) problems[field] = help;
}

const isPort = (text: string): boolean => /^\d+$/.test(text.trim()) && Port.safeParse(Number(text)).success;

/** The patch that saves the draft, or the problems that stop it. */
export function patchFrom(draft: SettingsDraft): { ok: true; patch: NetworkSettingsPatch } | { ok: false; problems: Problems } {
  const problems: Problems = {};
  check(problems, 'aeTitle', AeTitle.safeParse(draft.aeTitle).success, AE_HELP);
  check(problems, 'bindAddress', /^[\d.]+$|:/.test(draft.bindAddress.trim()) && Host.safeParse(draft.bindAddress).success, 'Use an IP address of this machine: 127.0.0.1 (this machine only) or the address of the network card the modality reaches.');
  check(problems, 'port', isPort(draft.port), PORT_HELP);
  const pacsFields = [draft.pacsAeTitle, draft.pacsHost, draft.pacsPort].map((f) => f.trim());
  const hasPacs = pacsFields.some(Boolean);
  if (hasPacs) {
    check(problems, 'pacsAeTitle', AeTitle.safeParse(draft.pacsAeTitle).success, AE_HELP);
    check(problems, 'pacsHost', Host.safeParse(draft.pacsHost).success, HOST_HELP);
    check(problems, 'pacsPort', isPort(draft.pacsPort), PORT_HELP);
    if (!problems.pacsAeTitle && draft.pacsAeTitle.trim() === draft.aeTitle.trim()) problems.pacsAeTitle = 'The PACS needs an AE title different from this workstation’s.';
  }
  draft.peers.forEach((peer, i) => {
    check(problems, `peers.${i}.aeTitle`, AeTitle.safeParse(peer.aeTitle).success, AE_HELP);
    if (peer.host.trim()) check(problems, `peers.${i}.host`, Host.safeParse(peer.host).success, `${HOST_HELP} Leave it empty to accept this AE title from any address.`);
  });
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    patch: {
      aeTitle: draft.aeTitle.trim(),
      bindAddress: draft.bindAddress.trim(),
      port: Number(draft.port),
      retrieveMethod: draft.retrieveMethod,
      pacs: hasPacs ? { aeTitle: draft.pacsAeTitle.trim(), host: draft.pacsHost.trim(), port: Number(draft.pacsPort) } : null,
      allowedPeers: draft.peers.map((p) => ({ aeTitle: p.aeTitle.trim(), host: p.host.trim() || null, description: p.description.trim() })),
    },
  };
}

/** Whether the form differs from what is saved (the Save button and the "unsaved" hint follow this). */
export function isDirty(draft: SettingsDraft, settings: NetworkSettings): boolean {
  return JSON.stringify(draft) !== JSON.stringify(draftFrom(settings));
}

/** The PACS study query form, as typed. */
export interface QueryForm {
  patientName: string;
  patientId: string;
  accessionNumber: string;
  dateFrom: string;
  dateTo: string;
  modality: string;
}

export const emptyQuery: QueryForm = { patientName: '', patientId: '', accessionNumber: '', dateFrom: '', dateTo: '', modality: '' };

/** The C-FIND keys for the form: empty fields are left out; dates (yyyy-mm-dd from date inputs) become a DICOM range. */
export function queryFrom(form: QueryForm): StudyQuery {
  const query: StudyQuery = {};
  const text = (value: string) => value.trim() || undefined;
  const day = (value: string) => value.replaceAll('-', '');
  if (text(form.patientName)) query.patientName = text(form.patientName);
  if (text(form.patientId)) query.patientId = text(form.patientId);
  if (text(form.accessionNumber)) query.accessionNumber = text(form.accessionNumber);
  if (text(form.modality)) query.modality = text(form.modality);
  if (form.dateFrom || form.dateTo) query.studyDate = form.dateFrom === form.dateTo ? day(form.dateFrom) : `${day(form.dateFrom)}-${day(form.dateTo)}`;
  return query;
}
