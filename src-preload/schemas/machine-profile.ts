// The machine a run trained on, as its run record and reports name it: the same seed gives other weights under
// other CPU kernels (measured: AMD EPYC vs Intel Xeon), so a number without its machine cannot be checked.
// Part of the contract (run summaries carry it), so it lives here and main imports it.
import { z } from 'zod';

export const MachineProfileSchema = z.object({
  /** /proc/cpuinfo "model name" (os.cpus() elsewhere). */
  cpuModel: z.string(),
  /** The widest vector ISA the CPU offers: avx512 (avx512f), avx2, avx, or older. */
  cpuIsa: z.string(),
  logicalCores: z.number().int(),
  /** Intra-op threads of the engine (config.threads; at::set_num_threads and OMP_NUM_THREADS when pinned). */
  threads: z.number().int(),
  /** The kernels in use: what each library settled on after the environment's caps. */
  kernels: z.object({
    onednnIsa: z.string(),
    /** ONEDNN_MAX_CPU_ISA (or DNNL_MAX_CPU_ISA) in the training process; null = uncapped. */
    onednnCap: z.string().nullable(),
    atenCpuCapability: z.string(),
    openblasCore: z.string(),
  }),
  versions: z.object({ node: z.string(), libtorch: z.string(), onednn: z.string(), openblas: z.string(), addon: z.string() }),
  /** Set for "reproducible": true runs: the environment pinned before libtorch loaded (training/cpu-kernels.ts). */
  pins: z.record(z.string(), z.string()).nullable(),
});

export type MachineProfile = z.output<typeof MachineProfileSchema>;
