/**
 * Default physics of a synthetic host, used where a scenario does not say otherwise. The
 * numbers are plausible for a 2.4 GHz Intel server core, not measured on one: what matters is
 * that they are known exactly (truth.json) and that workloads differ enough to be told apart.
 */

/** RAPL domains the generator models, in the index order used by its typed arrays. */
export const domains = ['package', 'core', 'dram'] as const;
export type Domain = (typeof domains)[number];

/** perf event names recorded unless the scenario lists its own. */
export const defaultEvents = [
  'cycles', 'instructions', 'cache-references', 'cache-misses', 'branch-instructions', 'branch-misses',
] as const;

/**
 * Events per unhalted cycle for each workload profile (`cycles` is 1 by definition). `cpu` is
 * hot (high IPC), `memory` misses the LLC (DRAM energy), `idle` is a guest's idle loop and timer
 * work, `io` the guest side of I/O, `emulation` the device model in dom0 or QEMU/vhost, and
 * `background` host daemons.
 */
export const defaultProfiles: Record<string, Record<string, number>> = {
  cpu: {
    instructions: 2.0, 'cache-references': 0.004, 'cache-misses': 0.0004, 'branch-instructions': 0.35,
    'branch-misses': 0.004, 'L1-dcache-loads': 0.6, 'L1-dcache-load-misses': 0.01, 'LLC-loads': 0.003,
    'LLC-load-misses': 0.0003,
  },
  memory: {
    instructions: 0.45, 'cache-references': 0.05, 'cache-misses': 0.025, 'branch-instructions': 0.08,
    'branch-misses': 0.002, 'L1-dcache-loads': 0.25, 'L1-dcache-load-misses': 0.08, 'LLC-loads': 0.04,
    'LLC-load-misses': 0.02,
  },
  idle: {
    instructions: 0.6, 'cache-references': 0.012, 'cache-misses': 0.002, 'branch-instructions': 0.15,
    'branch-misses': 0.01, 'L1-dcache-loads': 0.3, 'L1-dcache-load-misses': 0.02, 'LLC-loads': 0.008,
    'LLC-load-misses': 0.0015,
  },
  io: {
    instructions: 0.9, 'cache-references': 0.02, 'cache-misses': 0.006, 'branch-instructions': 0.18,
    'branch-misses': 0.008, 'L1-dcache-loads': 0.35, 'L1-dcache-load-misses': 0.03, 'LLC-loads': 0.015,
    'LLC-load-misses': 0.005,
  },
  emulation: {
    instructions: 1.1, 'cache-references': 0.03, 'cache-misses': 0.008, 'branch-instructions': 0.2,
    'branch-misses': 0.006, 'L1-dcache-loads': 0.4, 'L1-dcache-load-misses': 0.03, 'LLC-loads': 0.02,
    'LLC-load-misses': 0.006,
  },
  background: {
    instructions: 0.8, 'cache-references': 0.015, 'cache-misses': 0.003, 'branch-instructions': 0.17,
    'branch-misses': 0.007, 'L1-dcache-loads': 0.32, 'L1-dcache-load-misses': 0.025, 'LLC-loads': 0.01,
    'LLC-load-misses': 0.0025,
  },
};

/** True energy per event in joules at the base frequency, per RAPL domain. */
export const defaultWeights: Record<Domain, Record<string, number>> = {
  package: {
    cycles: 1.6e-9, instructions: 0.75e-9, 'cache-references': 4e-9, 'cache-misses': 16e-9,
    'branch-instructions': 0.2e-9, 'branch-misses': 3e-9, 'L1-dcache-loads': 0.3e-9,
    'L1-dcache-load-misses': 1.5e-9, 'LLC-loads': 4e-9, 'LLC-load-misses': 16e-9,
  },
  core: {
    cycles: 1.3e-9, instructions: 0.6e-9, 'cache-references': 2e-9, 'cache-misses': 4e-9,
    'branch-instructions': 0.15e-9, 'branch-misses': 2.5e-9, 'L1-dcache-loads': 0.25e-9,
    'L1-dcache-load-misses': 1.2e-9, 'LLC-loads': 2e-9, 'LLC-load-misses': 4e-9,
  },
  dram: {
    cycles: 0, instructions: 0, 'cache-references': 0.5e-9, 'cache-misses': 28e-9, 'branch-instructions': 0,
    'branch-misses': 0, 'L1-dcache-loads': 0, 'L1-dcache-load-misses': 0, 'LLC-loads': 0.5e-9,
    'LLC-load-misses': 28e-9,
  },
};

/** Default busy fraction and mean burst length of each phase kind. */
export const phaseDefaults: Record<'cpu' | 'memory' | 'idle' | 'io', { util: number; burstMs: number }> = {
  cpu: { util: 0.98, burstMs: 400 },
  memory: { util: 0.96, burstMs: 300 },
  idle: { util: 0.01, burstMs: 2 },
  io: { util: 0.4, burstMs: 12 },
};
