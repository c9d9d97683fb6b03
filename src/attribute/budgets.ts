import { naturalCompare } from '../util/natural-compare.js';

/**
 * Per-VM per-pCPU energy budgets (the budget policies' accounting): a vCPU's energy in an
 * interval is charged to the pCPUs it ran on in proportion to its run time there; a VM's
 * consumption on a pCPU is the sum over its vCPUs, compared with `budgetWatts × Δt`.
 */

/** Consumption of one VM on one pCPU over one interval. */
export interface BudgetCell {
  interval: number;
  vm: string;
  pcpu: number;
  joules: number;
  budgetJoules: number;
}

/**
 * Budget cells of every (interval, VM, pCPU) with consumption: `vcpuJoules` (vCPU → J per
 * interval), `placement` (vCPU → pCPU → s per interval), `vmOf` (vCPU → VM), `dt` lengths in s.
 */
export function budgetCells(vcpuJoules: ReadonlyMap<string, Float64Array>, placement: ReadonlyMap<string, ReadonlyMap<number, Float64Array>>,
  vmOf: (vcpu: string) => string, budgetWatts: number, dt: Float64Array): BudgetCell[] {
  const acc = new Map<string, BudgetCell>();
  for (const [vcpu, joules] of vcpuJoules) {
    const where = placement.get(vcpu);
    if (!where) continue;
    for (let i = 0; i < dt.length; i++) {
      let run = 0;
      for (const s of where.values()) run += s[i]!;
      if (!(run > 0)) continue;
      for (const [pcpu, s] of where) {
        if (!(s[i]! > 0)) continue;
        const key = `${i}\u0000${vmOf(vcpu)}\u0000${pcpu}`;
        const cell = acc.get(key) ?? { interval: i, vm: vmOf(vcpu), pcpu, joules: 0, budgetJoules: budgetWatts * dt[i]! };
        cell.joules += (joules[i]! * s[i]!) / run;
        acc.set(key, cell);
      }
    }
  }
  return [...acc.values()].sort((a, b) => a.interval - b.interval || naturalCompare(a.vm, b.vm) || a.pcpu - b.pcpu);
}

/** Cells over budget, and the energy above budget in them, J. */
export function overruns(cells: readonly BudgetCell[]): { count: number; joules: number } {
  let count = 0;
  let joules = 0;
  for (const c of cells) {
    if (c.joules <= c.budgetJoules) continue;
    count++;
    joules += c.joules - c.budgetJoules;
  }
  return { count, joules };
}
