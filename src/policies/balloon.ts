import { budgetedPolicy } from './budget-meter.js';
import type { HostAction, HostContext, HostObservation, HostPolicy, VmInfo } from './types.js';

/**
 * `balloon`: balloon processes that take CPU share from a VM over its budget (the poster's
 * mechanism i, after time ballooning). Budget parameters as `budget` (`budget_w` or
 * `vm_budget_w`, `window_ms`); placement is the recording's. The balloon is a task inside the
 * VM that executes no events: the time it gets is taken from the VM's work, which lowers the
 * VM's power without the host preempting anything.
 *
 * At the end of every window, per VM with mean power W (all its pCPUs), budget B (its pCPUs'
 * budgets summed) and vCPUs that ran a share ρ of a pCPU in all: W/ρ is its power per busy
 * vCPU, so an overshoot W − B takes ρ·(W − B)/W of a vCPU to displace. The balloon fraction
 * (of one vCPU's time) moves by that amount, up when over budget and down when under,
 * clamped to 0–1, and is 0 when the VM drew nothing. ρ includes the balloon's own time, so a
 * step can overshoot by up to 1/(1 − fraction); the next window corrects it. The balloon gets
 * at most its fair share of the vCPU it runs on (the guest decides which), so alone it cannot
 * displace more than that.
 */
export function balloonPolicy(): HostPolicy {
  let vms: readonly VmInfo[] = [];
  /** Balloon fraction set for each VM (the observation does not show it). */
  let inflated = new Float64Array(0);

  return budgetedPolicy({
    init(ctx: HostContext) {
      vms = ctx.vms;
      inflated = new Float64Array(ctx.vms.length);
    },
    window(_obs: HostObservation, meter, out: HostAction[]) {
      for (let m = 0; m < vms.length; m++) {
        const watts = meter.vmWatts[m]!;
        let ran = 0;
        for (const v of vms[m]!.vcpus) ran += meter.vcpuShare[v]!;
        const next = watts > 0 ? Math.min(1, Math.max(0, inflated[m]! + (ran * (watts - meter.vmBudget[m]!)) / watts)) : 0;
        if (next === inflated[m]) continue;
        inflated[m] = next;
        out.push({ type: 'balloon', vm: m, fraction: next });
      }
    },
  });
}
