// The app's screens, in navigation order, with the keyboard shortcut that opens each (Alt+digit).
export const routes = [
  { id: 'library', label: 'Library', hint: 'Import angiograms and patch sets; browse patients, studies and series.' },
  { id: 'viewer', label: 'Viewer', hint: 'Read frames and cine runs with window/level and overlays.' },
  { id: 'curation', label: 'Curation', hint: 'Label images as one or more readers.' },
  { id: 'splits', label: 'Splits', hint: 'Build and lock train/validation/test splits: by patient where items have a patient id, else by image.' },
  { id: 'training', label: 'Training', hint: 'Pretrain and fine-tune the SSL-Quantum model and baselines.' },
  { id: 'results', label: 'Results', hint: 'Compare models with confidence intervals; review per-image predictions.' },
  { id: 'reports', label: 'Reports', hint: 'Export PDF, DICOM SR and Secondary Capture reports.' },
  { id: 'network', label: 'Network', hint: 'DICOM receiver, allowed peers, PACS query/retrieve and the transfers list.' },
] as const;

export type RouteId = (typeof routes)[number]['id'];
