import type { ScenarioInput } from '../scenario.js';

/**
 * A few seconds of a small KVM host for tests: 4 CPUs (2 cores × SMT), a hot VM and an
 * I/O-heavy one whose vhost worker does the emulation, three general-purpose counters (so the
 * cache and branch events are multiplexed), a narrow RAPL register that wraps every ~1.5 s, a
 * clock change half-way, and both sched_switch renderings.
 */
export const testKvm: ScenarioInput = {
  name: 'test-kvm',
  description: 'tests: 4 s, 4-CPU KVM host, hot VM + I/O VM (vhost), multiplexing, RAPL wraps, clock change',
  hypervisor: 'kvm',
  host: 'synth-kvm-test',
  seed: 7,
  duration_seconds: 4,
  tick_ms: 10,
  topology: { sockets: 1, cores_per_socket: 2, threads_per_core: 2 },
  frequency: { changes: [{ at_seconds: 2, mhz: 1800 }] },
  rapl: { esu_bits: { package: 16, core: 16, dram: 16 }, counter_bits: 22 },
  pmu: { gp_counters: 3 },
  vms: [
    { name: 'hot', vcpus: 2, tasks: [
      { name: 'burn', vcpu: 0, phases: [{ kind: 'cpu', seconds: 1.5 }, { kind: 'idle', seconds: 0.5 }] },
      { name: 'stream', vcpu: 1, phases: [{ kind: 'memory', seconds: 1 }, { kind: 'cpu', seconds: 1 }] },
    ] },
    { name: 'web', vcpus: 1, io_emulator: 'vhost', tasks: [
      { name: 'serve', phases: [{ kind: 'io', seconds: 3, burst_ms: 20 }, { kind: 'idle', seconds: 1 }] },
    ] },
  ],
  recorders: {
    perf_interval_ms: 100, turbostat_interval_ms: 250, powercap_interval_ms: 100,
    sched_switch: ['perf-script', 'trace-cmd-report'],
  },
};
