import type { ScenarioInput } from '../scenario.js';

/**
 * The Xen demo bundle (traces/demo-xen): two minutes of an 8-pCPU Xen host (4 cores × SMT) in
 * the spirit of Stoess et al.: a hot guest pinned to two cores next to a cool one (thermal
 * imbalance), a memory-bound guest, and an I/O-heavy guest whose block and network backends run
 * in dom0 — energy dom0 spends on that guest's behalf — with xentrace, its xenalyze dump,
 * xentop, per-pCPU counters, turbostat and powercap.
 */
export const demoXen: ScenarioInput = {
  name: 'demo-xen',
  description: 'demo: 2 min, 8-pCPU Xen host, pinned hot guest vs cool guest, memory guest, I/O guest served by dom0',
  hypervisor: 'xen',
  host: 'synth-xen-demo',
  seed: 2007,
  duration_seconds: 120,
  topology: { sockets: 1, cores_per_socket: 4, threads_per_core: 2 },
  dom0: { vcpus: 2, util: 0.01, burst_ms: 5 },
  // the backends gather requests for a while before dom0 runs them (keeps the committed trace small)
  io: { emulation_cost: 0.4, batch_ms: 40, max_delay_ms: 200 },
  vms: [
    { name: 'hot', vcpus: 2, affinity: [0, 1, 4, 5], tasks: [
      { name: 'burn', phases: [{ kind: 'cpu', seconds: 50 }, { kind: 'idle', seconds: 10 }] },
      { name: 'burn2', offset_seconds: 25, phases: [{ kind: 'cpu', seconds: 40 }, { kind: 'idle', seconds: 20 }] },
    ] },
    { name: 'cool', vcpus: 2, tasks: [
      { name: 'sshd', phases: [{ kind: 'idle', seconds: 30, burst_ms: 4 }, { kind: 'cpu', seconds: 3, util: 0.3, burst_ms: 50 }] },
    ] },
    { name: 'mem', vcpus: 1, tasks: [{ name: 'stream', phases: [{ kind: 'memory', seconds: 35 }, { kind: 'idle', seconds: 25 }] }] },
    { name: 'io', vcpus: 2, tasks: [
      { name: 'db', phases: [{ kind: 'io', seconds: 40, burst_ms: 60, util: 0.45 }, { kind: 'cpu', seconds: 10, util: 0.5, burst_ms: 80 },
        { kind: 'idle', seconds: 10 }] },
    ] },
  ],
  recorders: { perf_interval_ms: 1000, turbostat_interval_ms: 1000, powercap_interval_ms: 500, xentop_interval_ms: 1000 },
};
