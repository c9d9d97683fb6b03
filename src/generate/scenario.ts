import { z } from 'zod';
import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import { defaultEvents, defaultProfiles, defaultWeights, domains } from './defaults.js';

/**
 * The scenario a synthetic recording is generated from (`vheat generate --scenario`): the host,
 * its VMs and their workloads, and every hidden parameter (energy weights, static power, RAPL
 * and sensor behaviour, thermal network). Field names are snake_case because people write
 * scenario files by hand; times are seconds unless the name says `_ms`.
 */

const phaseSchema = z.object({
  /** What the task does: `cpu` (hot), `memory` (LLC misses, DRAM energy), `idle`, `io` (causes emulation work). */
  kind: z.enum(['cpu', 'memory', 'idle', 'io']),
  /** Wall-clock length of the phase; a task's phases repeat in a loop. */
  seconds: z.number().positive(),
  /** Fraction of the time the task wants to run; default per kind (0.98, 0.96, 0.01, 0.4). */
  util: z.number().min(0).max(1).optional(),
  /** Mean length of one run burst in ms; default per kind (400, 300, 2, 12). */
  burst_ms: z.number().positive().optional(),
  /** Event profile name (see `profiles`); default = the kind. */
  profile: z.string().min(1).optional(),
});

const taskSchema = z.object({
  name: z.string().min(1),
  /** vCPU the guest runs the task on; default task index mod vCPUs. */
  vcpu: z.number().int().nonnegative().optional(),
  /** Where in its phase loop the task starts, s. */
  offset_seconds: z.number().nonnegative().default(0),
  phases: z.array(phaseSchema).min(1),
});

const vmSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-" only'),
  vcpus: z.number().int().positive().max(64),
  /** Scheduler weight (Xen credit weight; CFS shares for KVM). */
  weight: z.number().positive().default(256),
  /** pCPUs the VM's vCPUs may run on; default all. */
  affinity: z.array(z.number().int().nonnegative()).min(1).optional(),
  /** KVM only: the QEMU thread doing this VM's device emulation. */
  io_emulator: z.enum(['vhost', 'iothread']).default('vhost'),
  tasks: z.array(taskSchema).min(1),
});

const hostThreadSchema = z.object({
  comm: z.string().min(1),
  pid: z.number().int().positive(),
  util: z.number().min(0).max(1),
  burst_ms: z.number().positive(),
  prio: z.number().int().default(120),
  /** Pinned to this CPU (per-CPU kernel threads); default any. */
  cpu: z.number().int().nonnegative().optional(),
});

const eventMap = z.record(z.string(), z.number().nonnegative());
const domainNumbers = (d: { package: number; core: number; dram: number }) => z.object({
  package: z.number().nonnegative().default(d.package),
  core: z.number().nonnegative().default(d.core),
  dram: z.number().nonnegative().default(d.dram),
}).prefault({});

const baseSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  hypervisor: z.enum(['xen', 'kvm']),
  host: z.string().min(1).default('synthetic-host'),
  cpu_model: z.string().min(1).default('Synthetic Xeon CPU @ 2.40GHz'),
  /** Run seed when the caller gives none. */
  seed: z.number().int().nonnegative().default(1),
  duration_seconds: z.number().positive(),
  /** Wall-clock start of the recording, Unix epoch seconds. */
  start_epoch_seconds: z.number().int().nonnegative().default(1764000000),
  /** The monotonic clock (s since boot) at the start: perf script / trace-cmd timestamps. */
  boot_uptime_seconds: z.number().positive().default(12345.678901),
  /** Simulation step in ms: scheduling decisions and thermal integration happen per tick. */
  tick_ms: z.number().positive().max(1000).default(10),
  topology: z.object({
    sockets: z.number().int().min(1).max(16),
    cores_per_socket: z.number().int().min(1).max(512),
    threads_per_core: z.number().int().min(1).max(2).default(1),
  }),
  /** TSC frequency in Hz (a whole number of MHz so µs map to whole TSC ticks). */
  tsc_hz: z.number().int().positive().default(2_400_000_000),
  /** Core clock at which `weights` hold, MHz. */
  base_mhz: z.number().positive().default(2400),
  frequency: z.object({
    /** Per-event energy scales with (f / base)^exponent in the package and core domains (V ∝ f). */
    voltage_exponent: z.number().nonnegative().default(2),
    changes: z.array(z.object({
      at_seconds: z.number().nonnegative(),
      mhz: z.number().positive(),
      /** Socket whose clock changes; default all. */
      socket: z.number().int().nonnegative().optional(),
    })).default([]),
  }).prefault({}),
  events: z.array(z.string().min(1)).min(1).default([...defaultEvents]),
  /** Events per cycle of each workload profile; merged over the defaults. */
  profiles: z.record(z.string(), eventMap).default({}),
  /** True joules per event at `base_mhz`, per domain; merged over the defaults. */
  weights: z.object({ package: eventMap.default({}), core: eventMap.default({}), dram: eventMap.default({}) }).prefault({}),
  /** Static (idle) power per socket, W. */
  static_watts: domainNumbers({ package: 18, core: 5, dram: 2.5 }),
  rapl: z.object({
    /** Energy status unit exponent: one count is 2^-bits J (MSR_RAPL_POWER_UNIT). */
    esu_bits: z.object({
      package: z.number().int().min(8).max(20).default(14),
      core: z.number().int().min(8).max(20).default(14),
      dram: z.number().int().min(8).max(20).default(16),
    }).prefault({}),
    /** Width of the energy status register; below 32 shrinks `max_energy_range_uj` so tests see wraps. */
    counter_bits: z.number().int().min(12).max(32).default(32),
    update_ms: z.number().positive().default(1),
    update_jitter_ms: z.number().nonnegative().default(0.05),
  }).prefault({}),
  pmu: z.object({
    /** General-purpose counters per CPU; more events than this are multiplexed. */
    gp_counters: z.number().int().positive().default(4),
    /** Events on fixed counters (never multiplexed). */
    fixed: z.array(z.string()).default(['cycles', 'instructions']),
  }).prefault({}),
  noise: z.object({
    /** Relative counter measurement noise (1 σ) per reading. */
    counter_relative: z.number().nonnegative().default(0.002),
    /** Relative variation of event rates from one run burst to the next (1 σ). */
    workload_relative: z.number().nonnegative().default(0.05),
    /** Extra error of a multiplexed count at 50 % running (1 σ), scaled by √((1−r)/r). */
    multiplex_relative: z.number().nonnegative().default(0.02),
    /** Temperature sensor noise before rounding to whole °C (1 σ). */
    sensor_celsius: z.number().nonnegative().default(0.3),
  }).prefault({}),
  thermal: z.object({
    ambient_celsius: z.number().default(25),
    limit_celsius: z.number().default(90),
    tjmax_celsius: z.number().default(100),
    core_capacitance_j_per_k: z.number().positive().default(3),
    core_to_heatsink_w_per_k: z.number().positive().default(0.8),
    core_to_core_w_per_k: z.number().nonnegative().default(0.4),
    heatsink_capacitance_j_per_k: z.number().positive().default(400),
    heatsink_to_ambient_w_per_k: z.number().positive().default(2.5),
  }).prefault({}),
  scheduler: z.object({
    /** A vCPU that ran this long yields its pCPU to waiting work. */
    timeslice_ms: z.number().positive().default(30),
  }).prefault({}),
  io: z.object({
    /** Emulation CPU time per unit of guest run time spent in `io` phases. */
    emulation_cost: z.number().nonnegative().default(0.6),
    /** I/O operations per second of guest run time in `io` phases. */
    ops_per_second: z.number().nonnegative().default(20000),
    op_bytes: z.number().int().nonnegative().default(16384),
    /** The emulator wakes once this much work is queued (ms of CPU) … */
    batch_ms: z.number().nonnegative().default(0.5),
    /** … or the oldest request has waited this long (interrupt coalescing). */
    max_delay_ms: z.number().nonnegative().default(20),
  }).prefault({}),
  /** Xen only: dom0's vCPUs, which run the backends (I/O emulation) and dom0's own work. */
  dom0: z.object({
    vcpus: z.number().int().positive().default(2),
    util: z.number().min(0).max(1).default(0.03),
    burst_ms: z.number().positive().default(2),
  }).prefault({}),
  /** KVM only: host threads besides the VMs (default: a few kernel threads and the recorder). */
  host_threads: z.array(hostThreadSchema).optional(),
  vms: z.array(vmSchema).min(1),
  recorders: z.object({
    perf_interval_ms: z.number().min(10).default(1000),
    perf_cpu: z.boolean().default(true),
    /** Default: on for KVM (`perf stat --per-thread -p <qemu pids>`). */
    perf_thread: z.boolean().optional(),
    /** Default: on for KVM (`perf stat -a --for-each-cgroup`). */
    perf_cgroup: z.boolean().optional(),
    /**
     * Default: on for Xen. `perf stat --per-thread -t <tids>` inside dom0 (vPMU) on the block
     * backend thread of each guest that does I/O: the work dom0 does for that guest, apart
     * from dom0's own.
     */
    perf_backend: z.boolean().optional(),
    /** Renderings of the sched_switch trace (KVM); default `['perf-script']`. */
    sched_switch: z.array(z.enum(['perf-script', 'trace-cmd-report'])).optional(),
    /** Default: on for Xen. */
    xentrace: z.boolean().optional(),
    /** Default: on for Xen (`xenalyze --dump-all` of the same trace). */
    xenalyze: z.boolean().optional(),
    xentrace_flush_ms: z.number().positive().default(100),
    /** Default: on for Xen (`xentop -b`: per-domain CPU seconds and block I/O). */
    xentop: z.boolean().optional(),
    xentop_interval_ms: z.number().min(10).default(1000),
    turbostat: z.boolean().default(true),
    turbostat_interval_ms: z.number().min(10).default(1000),
    powercap: z.boolean().default(true),
    powercap_interval_ms: z.number().min(10).default(500),
  }).prefault({}),
});

const defaultKvmHostThreads: z.output<typeof hostThreadSchema>[] = [
  { comm: 'rcu_preempt', pid: 15, util: 0.003, burst_ms: 0.4, prio: 120 },
  { comm: 'kworker/u64:2', pid: 812, util: 0.006, burst_ms: 0.8, prio: 120 },
  { comm: 'perf', pid: 3101, util: 0.004, burst_ms: 1.2, prio: 120 },
];

/** Cross-field checks zod's shapes cannot express. */
function checkScenario(s: z.output<typeof baseSchema>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
  const cpus = s.topology.sockets * s.topology.cores_per_socket * s.topology.threads_per_core;
  if (s.tsc_hz % 1_000_000 !== 0) issue(['tsc_hz'], 'must be a whole number of MHz');
  if (Math.abs(s.tick_ms * 1000 - Math.round(s.tick_ms * 1000)) > 1e-9) issue(['tick_ms'], 'must be a whole number of µs');
  if (s.duration_seconds * 1000 < s.tick_ms) issue(['duration_seconds'], 'must be at least one tick');
  const names = new Set<string>();
  s.vms.forEach((vm, v) => {
    if (names.has(vm.name)) issue(['vms', v, 'name'], `duplicate VM name "${vm.name}"`);
    names.add(vm.name);
    vm.affinity?.forEach((cpu, k) => { if (cpu >= cpus) issue(['vms', v, 'affinity', k], `CPU ${cpu} does not exist (${cpus} CPUs)`); });
    vm.tasks.forEach((task, k) => {
      if (task.vcpu !== undefined && task.vcpu >= vm.vcpus) issue(['vms', v, 'tasks', k, 'vcpu'], `VM has ${vm.vcpus} vCPUs`);
      task.phases.forEach((p, j) => {
        const profile = p.profile ?? p.kind;
        if (!(profile in defaultProfiles) && !(profile in s.profiles)) {
          issue(['vms', v, 'tasks', k, 'phases', j, 'profile'], `unknown profile "${profile}"`);
        }
      });
    });
  });
  s.frequency.changes.forEach((c, k) => {
    if (c.socket !== undefined && c.socket >= s.topology.sockets) issue(['frequency', 'changes', k, 'socket'], 'no such socket');
  });
  (s.host_threads ?? []).forEach((h, k) => {
    if (h.cpu !== undefined && h.cpu >= cpus) issue(['host_threads', k, 'cpu'], `CPU ${h.cpu} does not exist`);
  });
  if (new Set(s.events).size !== s.events.length) issue(['events'], 'an event is listed twice');
  if (!s.events.includes('cycles')) issue(['events'], '"cycles" is required (event rates are per cycle)');
  for (const d of domains) {
    for (const e of s.events) {
      if (s.weights[d][e] === undefined && defaultWeights[d][e] === undefined) issue(['weights', d, e], `no weight for event "${e}"`);
    }
  }
  for (const [name, rates] of Object.entries({ ...defaultProfiles, ...s.profiles })) {
    for (const e of s.events) {
      if (e !== 'cycles' && rates[e] === undefined && defaultProfiles[name]?.[e] === undefined) {
        issue(['profiles', name, e], `profile "${name}" has no rate for event "${e}"`);
      }
    }
  }
  const r = s.recorders;
  // a reading's RAPL refresh must come after the previous reading (interval-recorder.ts)
  const minInterval = 2 * s.rapl.update_ms + 1;
  for (const key of ['perf_interval_ms', 'turbostat_interval_ms', 'powercap_interval_ms', 'xentop_interval_ms'] as const) {
    if (r[key] < minInterval) issue(['recorders', key], `must be at least 2·rapl.update_ms + 1 = ${minInterval} ms`);
  }
  if (s.hypervisor === 'xen' && (r.perf_thread || r.perf_cgroup || (r.sched_switch?.length ?? 0) > 0)) {
    issue(['recorders'], 'per-thread, cgroup and sched_switch recordings are KVM-host tools');
  }
  if (s.hypervisor === 'kvm' && r.perf_backend) issue(['recorders', 'perf_backend'], 'dom0 backend threads need a Xen host');
  if (s.hypervisor === 'kvm' && (r.xentrace || r.xenalyze || r.xentop)) issue(['recorders'], 'xentrace/xenalyze/xentop need a Xen host');
  if (s.hypervisor === 'xen' && s.host_threads !== undefined) issue(['host_threads'], 'on Xen, host work runs in dom0 (see `dom0`)');
}

/** Fills what depends on other fields: hypervisor-specific recorders, merged weights and profiles. */
function resolve(s: z.output<typeof baseSchema>) {
  const kvm = s.hypervisor === 'kvm';
  const pick = (d: (typeof domains)[number]) => Object.fromEntries(s.events.map((e) => [e, s.weights[d][e] ?? defaultWeights[d][e]!]));
  const profiles: Record<string, Record<string, number>> = {};
  for (const [name, rates] of Object.entries({ ...defaultProfiles, ...s.profiles })) {
    profiles[name] = Object.fromEntries(s.events.filter((e) => e !== 'cycles')
      .map((e) => [e, s.profiles[name]?.[e] ?? rates[e] ?? defaultProfiles[name]![e]!]));
  }
  return {
    ...s,
    weights: { package: pick('package'), core: pick('core'), dram: pick('dram') },
    profiles,
    host_threads: kvm ? s.host_threads ?? defaultKvmHostThreads : [],
    recorders: {
      ...s.recorders,
      perf_thread: s.recorders.perf_thread ?? kvm,
      perf_cgroup: s.recorders.perf_cgroup ?? kvm,
      perf_backend: s.recorders.perf_backend ?? !kvm,
      sched_switch: s.recorders.sched_switch ?? (kvm ? ['perf-script' as const] : []),
      xentrace: s.recorders.xentrace ?? !kvm,
      xenalyze: s.recorders.xenalyze ?? !kvm,
      xentop: s.recorders.xentop ?? !kvm,
    },
  };
}

/** Runtime schema of a scenario file; parsing also resolves defaults that depend on the hypervisor. */
export const scenarioSchema = baseSchema.superRefine(checkScenario).transform(resolve);

/** A scenario as written (JSON file or object): most fields optional. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioVm = Scenario['vms'][number];
export type ScenarioPhase = ScenarioVm['tasks'][number]['phases'][number];

/** Validates a scenario value; `source` (file or scenario name) names it in errors. */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new BundleError('generate.scenario', messages.badScenario(source, detail), {
    context: { file: source },
    hint: 'see the doc comments in src/generate/scenario.ts for every field',
  });
}
