import type { Counts } from './vm-dynamic.js';

/**
 * Virtualized counters: what a guest's own PMU would show — its vCPUs' counts only (other VMs'
 * activity on shared pCPUs excluded, because the per-thread/cgroup/residency derivations count
 * only the VM's own execution), as rates per second of the vCPU's own run time, and its energy
 * as power while running. This is the input a guest energy policy uses.
 */
export interface VirtualCounterView {
  vcpu: string;
  /** s the vCPU ran. */
  runSeconds: number;
  /** Events per s of run time, per event. */
  rates: Record<string, number>;
  /** Counter-model energy of the vCPU, J, and per s of run time, W. */
  joules: number;
  watts: number | null;
}

/** The view of one vCPU over the whole run: `counts` per interval, `runSeconds` per interval, `joules` per interval. */
export function virtualCounters(vcpu: string, counts: Counts, runSeconds: Float64Array | undefined, joules: Float64Array): VirtualCounterView {
  let run = 0;
  if (runSeconds) for (let i = 0; i < runSeconds.length; i++) run += runSeconds[i]!;
  let j = 0;
  for (let i = 0; i < joules.length; i++) j += joules[i]!;
  const rates: Record<string, number> = {};
  // Events in name order: `counts` follows the store's row order, which DuckDB does not fix.
  for (const event of [...counts.keys()].sort()) {
    const c = counts.get(event)!;
    let s = 0;
    for (let i = 0; i < c.length; i++) s += c[i]!;
    rates[event] = run > 0 ? s / run : 0;
  }
  return { vcpu, runSeconds: run, rates, joules: j, watts: run > 0 ? j / run : null };
}
