import type { ScenarioInput } from '../scenario.js';

const kinds = ['cpu', 'memory', 'io', 'idle'] as const;

/**
 * The benchmark scenario: 24 h of a 2-socket, 64-CPU KVM host (16 cores × SMT per socket) with
 * 24 VMs cycling through workload phases, 8 perf events per CPU every second, turbostat and
 * powercap. A 500 ms tick keeps the simulation ahead of the writers.
 */
export const large: ScenarioInput = {
  name: 'large',
  description: 'benchmark: 24 h, 64-CPU KVM host, 24 VMs, 8 events per CPU at 1 s (≈2.5 GB)',
  hypervisor: 'kvm',
  host: 'synth-kvm-large',
  seed: 64,
  duration_seconds: 24 * 3600,
  tick_ms: 500,
  scheduler: { timeslice_ms: 1000 },
  topology: { sockets: 2, cores_per_socket: 16, threads_per_core: 2 },
  events: ['cycles', 'instructions', 'cache-references', 'cache-misses', 'branch-instructions', 'branch-misses',
    'L1-dcache-loads', 'L1-dcache-load-misses'],
  frequency: { changes: [{ at_seconds: 6 * 3600, mhz: 2000 }, { at_seconds: 18 * 3600, mhz: 2400 }] },
  vms: Array.from({ length: 24 }, (_, v) => ({
    name: `vm${String(v).padStart(2, '0')}`,
    vcpus: 2 + (v % 3),
    tasks: [0, 1].map((k) => ({
      name: `t${k}`,
      offset_seconds: 600 * v + 300 * k,
      phases: [0, 1, 2, 3].map((j) => {
        const kind = kinds[(v + k + j) % 4]!;
        // long bursts keep the switch rate of a day-long run modest
        return { kind, seconds: 900 + 300 * ((v + j) % 5), burst_ms: kind === 'idle' ? 50 : kind === 'io' ? 200 : 1000 };
      }),
    })),
  })),
  host_threads: [{ comm: 'kworker/u128:0', pid: 901, util: 0.01, burst_ms: 5 }],
  recorders: {
    perf_interval_ms: 1000, perf_thread: false, perf_cgroup: false, sched_switch: [],
    turbostat_interval_ms: 5000, powercap_interval_ms: 1000,
  },
};
