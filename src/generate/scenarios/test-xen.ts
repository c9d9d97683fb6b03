import type { ScenarioInput } from '../scenario.js';

/**
 * A few seconds of a small Xen host for tests: 4 pCPUs, dom0 with one vCPU running the I/O
 * backends, a hot guest and an I/O-heavy guest; xentrace binary and its xenalyze dump.
 */
export const testXen: ScenarioInput = {
  name: 'test-xen',
  description: 'tests: 3 s, 4-pCPU Xen host, dom0 backends, hot guest + I/O guest, xentrace + xenalyze',
  hypervisor: 'xen',
  host: 'synth-xen-test',
  seed: 11,
  duration_seconds: 3,
  tick_ms: 10,
  topology: { sockets: 1, cores_per_socket: 4, threads_per_core: 1 },
  rapl: { esu_bits: { package: 16, core: 16, dram: 16 } },
  dom0: { vcpus: 1 },
  vms: [
    { name: 'hot', vcpus: 2, tasks: [
      { name: 'burn', phases: [{ kind: 'cpu', seconds: 1 }, { kind: 'idle', seconds: 0.5 }] },
      { name: 'burn2', phases: [{ kind: 'memory', seconds: 1.2 }] },
    ] },
    { name: 'io', vcpus: 1, tasks: [{ name: 'serve', phases: [{ kind: 'io', seconds: 2, burst_ms: 15 }, { kind: 'idle', seconds: 1 }] }] },
  ],
  recorders: { perf_interval_ms: 100, turbostat_interval_ms: 250, powercap_interval_ms: 100, xentrace_flush_ms: 50 },
};
