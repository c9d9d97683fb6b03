/**
 * Static (idle) power rules: how the model's static energy `staticW·Δt` of each interval is
 * shared among VMs (`--idle-split`, default `residency`):
 * - `residency`: a VM gets the share of the machine's CPU time its vCPUs ran (its pCPU-seconds /
 *   (CPUs × Δt)); the share of idle or host CPU time stays unassigned;
 * - `equal`: every VM gets the same share, all of it assigned (the "someone must pay" view);
 * - `none`: nothing is assigned; static energy is reported as idle.
 */
export const idleSplitRules = ['residency', 'equal', 'none'] as const;
export type IdleSplitRule = (typeof idleSplitRules)[number];

/** What the rule assigned: VM → J per interval, and the rest (J per interval). */
export interface IdleSplit {
  perVm: Map<string, Float64Array>;
  unassigned: Float64Array;
}

/**
 * Splits `staticJoules` (J per interval) by `rule` among `vms`; `cpuSeconds` (VM → pCPU-s per
 * interval) and `cpus` (CPU count) serve `residency`, `dt` the interval lengths in s.
 */
export function splitIdle(rule: IdleSplitRule, staticJoules: Float64Array, vms: readonly string[],
  cpuSeconds: ReadonlyMap<string, Float64Array>, cpus: number, dt: Float64Array): IdleSplit {
  const n = staticJoules.length;
  const unassigned = Float64Array.from(staticJoules);
  const perVm = new Map<string, Float64Array>();
  for (const vm of vms) {
    const out = new Float64Array(n);
    const sec = cpuSeconds.get(vm);
    for (let i = 0; i < n; i++) {
      if (rule === 'equal') out[i] = staticJoules[i]! / vms.length;
      else if (rule === 'residency' && sec) out[i] = (staticJoules[i]! * Math.min(sec[i]!, cpus * dt[i]!)) / (cpus * dt[i]!);
      unassigned[i] = unassigned[i]! - out[i]!;
    }
    perVm.set(vm, out);
  }
  return { perVm, unassigned };
}
