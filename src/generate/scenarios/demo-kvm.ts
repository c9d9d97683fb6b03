import type { ScenarioInput } from '../scenario.js';

/**
 * The KVM demo bundle (traces/demo-kvm): two minutes of a 2-socket, 8-CPU host with four VMs of
 * contrasting workloads — a hot batch VM, a memory-bound analytics VM, an I/O-heavy web VM whose
 * vhost worker emulates its network (energy spent outside the VM on its behalf), and a cool,
 * mostly idle VM — and a clock change on socket 1 half-way (per-event energy changes with it).
 */
export const demoKvm: ScenarioInput = {
  name: 'demo-kvm',
  description: 'demo: 2 min, 2-socket 8-CPU KVM host, hot/memory/I-O/idle VMs, clock change on socket 1',
  hypervisor: 'kvm',
  host: 'synth-kvm-demo',
  seed: 2026,
  duration_seconds: 120,
  topology: { sockets: 2, cores_per_socket: 4, threads_per_core: 1 },
  frequency: { changes: [{ at_seconds: 60, mhz: 2000, socket: 1 }] },
  // vhost gathers work for a while before it runs (keeps the committed trace small)
  io: { emulation_cost: 0.4, batch_ms: 40, max_delay_ms: 200 },
  vms: [
    { name: 'batch', vcpus: 2, tasks: [
      { name: 'compile', phases: [{ kind: 'cpu', seconds: 40 }, { kind: 'idle', seconds: 20 }] },
      { name: 'render', offset_seconds: 10, phases: [{ kind: 'cpu', seconds: 30 }, { kind: 'idle', seconds: 15 }] },
    ] },
    { name: 'analytics', vcpus: 2, tasks: [
      { name: 'scan', phases: [{ kind: 'memory', seconds: 30 }, { kind: 'cpu', seconds: 15 }, { kind: 'idle', seconds: 15 }] },
      { name: 'join', offset_seconds: 20, phases: [{ kind: 'memory', seconds: 25 }, { kind: 'idle', seconds: 20 }] },
    ] },
    { name: 'web', vcpus: 2, io_emulator: 'vhost', tasks: [
      { name: 'nginx', phases: [{ kind: 'io', seconds: 40, burst_ms: 60, util: 0.45 }, { kind: 'idle', seconds: 20 }] },
      { name: 'php', phases: [{ kind: 'cpu', seconds: 20, util: 0.35, burst_ms: 60 }, { kind: 'idle', seconds: 10 }] },
    ] },
    { name: 'idle', vcpus: 1, tasks: [{ name: 'cron', phases: [{ kind: 'idle', seconds: 50, burst_ms: 3 }, { kind: 'cpu', seconds: 5 }] }] },
  ],
  host_threads: [
    { comm: 'kworker/u16:1', pid: 811, util: 0.004, burst_ms: 2 },
    { comm: 'perf', pid: 3101, util: 0.003, burst_ms: 3 },
  ],
  recorders: { perf_interval_ms: 1000, turbostat_interval_ms: 1000, powercap_interval_ms: 500 },
};
