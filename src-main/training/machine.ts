// Reads the machine profile (machine-profile.ts) of this process: the CPU from /proc/cpuinfo, the kernels and
// library versions from the addon. Call it after the engine is loaded, in the process that trains.
import { cpus } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import type { EngineAddon } from './engine.ts';
import type { MachineProfile } from './machine-profile.ts';

export interface RuntimeInfo {
  libtorch: string;
  atenCpuCapability: string;
  onednn: string;
  onednnIsa: string;
  openblas: string;
  openblasCore: string;
}

interface CpuInfo {
  model: string;
  flags: Set<string>;
}

export function readCpuInfo(): CpuInfo {
  const text = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  return { model: field('model name') ?? cpus()[0]?.model ?? 'unknown CPU', flags: new Set((field('flags') ?? '').split(/\s+/)) };
}

/** The widest x86 vector extension the CPU reports (avx512 = AVX-512 Foundation). */
export function widestIsa(flags: Set<string>): string {
  for (const [flag, name] of [['avx512f', 'avx512'], ['avx2', 'avx2'], ['avx', 'avx'], ['sse4_2', 'sse4.2']] as const) {
    if (flags.has(flag)) return name;
  }
  return flags.size > 1 ? 'pre-sse4.2' : 'unknown';
}

/** "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH …" → "0.3.21". */
const openblasVersion = (config: string) => /OpenBLAS\s+(\S+)/.exec(config)?.[1] ?? (config || 'unknown');

export function describeMachine(engine: EngineAddon, threads: number, pins: Record<string, string> | null): MachineProfile {
  const cpu = readCpuInfo();
  const runtime: Partial<RuntimeInfo> = typeof engine.runtimeInfo === 'function' ? engine.runtimeInfo() : {};
  const known = (value: string | undefined) => value || 'unknown';
  return {
    cpuModel: cpu.model,
    cpuIsa: widestIsa(cpu.flags),
    logicalCores: cpus().length,
    threads,
    kernels: {
      onednnIsa: known(runtime.onednnIsa),
      onednnCap: process.env.ONEDNN_MAX_CPU_ISA ?? process.env.DNNL_MAX_CPU_ISA ?? null,
      atenCpuCapability: known(runtime.atenCpuCapability),
      openblasCore: known(runtime.openblasCore),
    },
    versions: {
      node: process.versions.node,
      libtorch: known(runtime.libtorch),
      onednn: known(runtime.onednn),
      openblas: openblasVersion(runtime.openblas ?? ''),
      addon: engine.version(),
    },
    pins,
  };
}
