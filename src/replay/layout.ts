import type { VmInfo } from '../policies/types.js';
import type { RecordedLayout } from '../store/replay-data.js';
import type { EngineLayout } from './engine-state.js';

/** Host shape given by the user when the recording does not show it. */
export interface TopologyOverride {
  sockets: number;
  coresPerSocket: number;
  /** pCPUs; defaults to what the recording shows. */
  pcpus?: number;
}

/** The engine layout plus each core's name (`S<p>-C<c>`, as `temps` entities spell it). */
export interface ReplayLayout extends EngineLayout {
  coreNames: string[];
}

const coreRe = /^S(\d+)-C(\d+)$/;

/**
 * Builds the host and VM layout of a replay from what the recording shows:
 * - pCPUs: the highest pCPU in residency or per-CPU samples, + 1;
 * - sockets: from RAPL energy and core-temperature names (at least 1);
 * - cores: the recorded core temperatures (`S<p>-C<c>`, numbered by ascending core id per
 *   socket, as the thermal fit numbers them), else one core per pCPU;
 * - pCPU → core: core-scope samples that name their CPU when they cover every pCPU; else Linux's
 *   numbering on x86 servers: CPU p is on core p mod (sockets × cores per socket), cores
 *   numbered socket by socket, so SMT siblings are a whole core count apart (the store keeps no
 *   topology: bundle.json's `cpu_socket` would settle it);
 * - vCPUs: every VM's vCPUs 0..max seen, starting on the pCPU they first ran on (else
 *   round-robin).
 */
export function buildLayout(rec: RecordedLayout, tickSeconds: number, topology?: TopologyOverride): ReplayLayout {
  const cores = new Map<number, number[]>();
  for (const name of [...rec.coreEntities, ...rec.cpuCores.values()]) {
    const m = coreRe.exec(name);
    if (!m) continue;
    const list = cores.get(Number(m[1])) ?? [];
    if (!list.includes(Number(m[2]))) list.push(Number(m[2]));
    cores.set(Number(m[1]), list);
  }
  for (const list of cores.values()) list.sort((a, b) => a - b);
  const sockets = topology?.sockets ?? Math.max(1, rec.sockets, ...[...cores.keys()].map((s) => s + 1));
  const pcpus = Math.max(1, topology?.pcpus ?? rec.pcpus);
  const named = Math.max(0, ...[...cores.values()].map((l) => l.length));
  const coresPerSocket = topology?.coresPerSocket ?? (named > 0 ? named : Math.ceil(pcpus / sockets));
  const coreNames: string[] = [];
  for (let s = 0; s < sockets; s++) {
    const ids = cores.get(s) ?? [];
    for (let k = 0; k < coresPerSocket; k++) coreNames.push(`S${s}-C${ids[k] ?? (ids.length ? ids[ids.length - 1]! + 1 + k - ids.length : k)}`);
  }
  const coreIndex = new Map(coreNames.map((n, i) => [n, i]));
  const pcpuSocket = new Int32Array(pcpus);
  const pcpuCore = new Int32Array(pcpus);
  const mapped = !topology && [...Array(pcpus).keys()].every((p) => coreIndex.has(rec.cpuCores.get(p) ?? ''));
  for (let p = 0; p < pcpus; p++) {
    const c = mapped ? coreIndex.get(rec.cpuCores.get(p)!)! : p % (sockets * coresPerSocket);
    pcpuCore[p] = c;
    pcpuSocket[p] = Math.floor(c / coresPerSocket);
  }
  const vms: VmInfo[] = [];
  const vcpuVm: number[] = [];
  for (const vm of rec.vms) {
    const vcpus: number[] = [];
    for (let k = 0; k < vm.vcpus; k++) {
      vcpus.push(vcpuVm.length);
      vcpuVm.push(vms.length);
    }
    vms.push({ name: vm.name, vcpus });
  }
  const initialPcpu = Int32Array.from(vcpuVm, (_, v) => {
    const p = rec.firstPcpu[v] ?? -1;
    return p >= 0 && p < pcpus ? p : v % pcpus;
  });
  return {
    tickSeconds, pcpus, sockets, coresPerSocket, pcpuSocket, pcpuCore, vms,
    vcpuVm: Int32Array.from(vcpuVm), initialPcpu, coreNames,
  };
}
