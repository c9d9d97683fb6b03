import { budgetedPolicy } from './budget-meter.js';
import type { HostAction, HostContext, HostObservation, HostPolicy } from './types.js';

/**
 * `budget`: fixed per-VM per-pCPU energy budgets, enforced by the host (the poster's "virtual
 * heat control"). Parameters: `budget_w` (W per VM on each pCPU it uses) or `vm_budget_w` (W per
 * VM, split evenly over its pCPUs), and `window_ms` (default 10); see `readBudgetParams`.
 * Placement is the recording's; the budgets are set in `init`, follow the vCPUs, and reach the
 * guests as `vcpuBudgetWatts` (the para-virtual budget driver).
 *
 * At the end of every window, for each VM × pCPU whose mean power W exceeded its budget B (or
 * whose vCPUs it throttles already): its online vCPUs there ran a share ρ of a pCPU, so at their
 * energy per CPU-second the VM draws B when running ρ·B/W; each of its n vCPUs there is
 * throttled to 1 − ρ·B/(W·n) (0–1). The throttle thus tracks the VM's event rate and is released
 * (0) once the VM at full speed fits its budget, or when it did not run there for a whole window.
 * A throttle that no longer binds (demand fell, rate did not) stays until then: it costs nothing.
 *
 * Interplay with the guest policy `budget-follow`, the cooperative path: that guest sees its
 * budget and throttles its own hottest tasks every tick, so a cooperative VM stays within budget
 * and this policy, which acts only on a window's overshoot, stays out (or, after an initial
 * overshoot, holds a throttle equal to what the guest already keeps). For an energy-unaware,
 * slow or malicious guest it is the backstop, one window late.
 */
export function budgetPolicy(): HostPolicy {
  let pcpus = 0;
  let vcpuVm: Int32Array = new Int32Array(0);
  /** Per cell: summed run share of the VM's online vCPUs there, and how many there are. */
  let cellShare = new Float64Array(0);
  let cellVcpus = new Int32Array(0);

  return budgetedPolicy({
    init(ctx: HostContext) {
      pcpus = ctx.pcpus;
      vcpuVm = ctx.vcpuVm;
      cellShare = new Float64Array(ctx.vms.length * ctx.pcpus);
      cellVcpus = new Int32Array(ctx.vms.length * ctx.pcpus);
    },
    window(obs: HostObservation, meter, out: HostAction[]) {
      cellShare.fill(0);
      cellVcpus.fill(0);
      const V = vcpuVm.length;
      for (let v = 0; v < V; v++) {
        if (!obs.vcpuOnline[v]) continue;
        const c = vcpuVm[v]! * pcpus + obs.vcpuPcpu[v]!;
        cellShare[c]! += meter.vcpuShare[v]!;
        cellVcpus[c]!++;
      }
      for (let v = 0; v < V; v++) {
        if (!obs.vcpuOnline[v]) continue;
        const c = vcpuVm[v]! * pcpus + obs.vcpuPcpu[v]!;
        const budget = meter.cellBudget[c]!;
        const watts = meter.cellWatts[c]!;
        const now = obs.vcpuThrottle[v]!;
        if (!(watts > budget) && now === 0) continue;
        // No budget, or no power or run time measured here: nothing to hold the throttle to.
        const measured = watts > 0 && cellShare[c]! > 0 && !Number.isNaN(budget);
        const allowed = measured ? (cellShare[c]! * budget) / (watts * cellVcpus[c]!) : 1;
        const fraction = Math.min(1, Math.max(0, 1 - allowed));
        if (fraction !== now) out.push({ type: 'throttle-vcpu', vcpu: v, fraction });
      }
    },
  });
}
