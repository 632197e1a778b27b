// The machine a run trained on, as its run record and reports name it. The schema is part of the contract (run
// summaries carry it) and is defined in src-preload; the one-line rendering for reports and logs is main's.
import type { MachineProfile } from '../../src-preload/schemas/machine-profile.ts';

export { MachineProfileSchema, type MachineProfile } from '../../src-preload/schemas/machine-profile.ts';

/** One line for reports and logs. */
export function machineLine(m: MachineProfile): string {
  const cap = m.kernels.onednnCap ? ` (capped ${m.kernels.onednnCap})` : '';
  const pinned = m.pins ? 'reproducible: kernels pinned to AVX2' : 'kernels not pinned';
  return `${m.cpuModel} (${m.cpuIsa}, ${m.logicalCores} logical cores), ${m.threads} threads; oneDNN ${m.versions.onednn} ${m.kernels.onednnIsa}${cap}, ` +
    `ATen ${m.kernels.atenCpuCapability}, OpenBLAS ${m.versions.openblas} ${m.kernels.openblasCore}; libtorch ${m.versions.libtorch}, Node ${m.versions.node}; ${pinned}`;
}
