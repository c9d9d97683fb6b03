import { budgetedPolicy } from './budget-meter.js';
import { numberInRange } from './param-range.js';
import type { HostAction, HostContext, HostObservation, HostPolicy, VmInfo } from './types.js';

/**
 * `hotplug`: vCPU hot-plugging as an energy valve (the poster's self-balancing of overheating
 * VMs). Budget parameters as `budget` (`budget_w` or `vm_budget_w`, `window_ms`); placement is
 * the recording's. At the end of every window, per VM with mean power W (all its pCPUs), budget
 * B (its pCPUs' budgets summed), n online vCPUs and backlog L (CPU-s its tasks have waiting):
 * - plug back in its lowest-numbered unplugged vCPU when L > `backlog_ms` (default 500: the
 *   latency guard, which outranks the budget), or when one more vCPU at the VM's mean power per
 *   vCPU fits: W·(n+1)/n ≤ B'·(1 − `headroom_pct`/100) (default 10), B' being the budget with
 *   that vCPU's pCPU in use. Unplug needs W > B, so the two cannot alternate (hysteresis);
 * - else, when W > B, L ≤ `backlog_ms` and n > 1 (never the last vCPU), unplug the online vCPU
 *   on the pCPU where the VM is most over its budget there (ties: the highest-numbered).
 * One vCPU per VM per window, so each step is measured for a whole window before the next.
 * The guest moves an unplugged vCPU's tasks to its online vCPUs (the `default` guest at once);
 * the VM then runs with less parallelism and so less power, and its excess demand waits.
 * With `vm_budget_w` the VM keeps its whole budget on fewer pCPUs; with `budget_w` its budget
 * shrinks with each pCPU it leaves, so a VM whose every vCPU alone exceeds `budget_w` ends with
 * one vCPU still over: that case needs `budget`'s throttle.
 */
export function hotplugPolicy(): HostPolicy {
  let pcpus = 0;
  let vms: readonly VmInfo[] = [];
  let keep = 1;
  let backlogBound = 0;

  return budgetedPolicy({
    init(ctx: HostContext) {
      pcpus = ctx.pcpus;
      vms = ctx.vms;
      keep = 1 - numberInRange(ctx.params, 'headroom_pct', 10, { atLeast: 0, atMost: 100 }) / 100;
      backlogBound = numberInRange(ctx.params, 'backlog_ms', 500, { atLeast: 0 }) / 1000;
    },
    window(obs: HostObservation, meter, out: HostAction[]) {
      for (let m = 0; m < vms.length; m++) {
        let online = 0;
        let backlog = 0;
        let plug = -1;
        let unplug = -1;
        let worst = -Infinity;
        for (const v of vms[m]!.vcpus) {
          backlog += obs.vcpuBacklogSeconds[v]!;
          if (!obs.vcpuOnline[v]) {
            if (plug < 0) plug = v;
            continue;
          }
          online++;
          const c = m * pcpus + obs.vcpuPcpu[v]!;
          const over = meter.cellWatts[c]! - meter.cellBudget[c]!;
          if (over >= worst) {
            worst = over;
            unplug = v;
          }
        }
        const watts = meter.vmWatts[m]!;
        if (plug >= 0 && (backlog > backlogBound || (watts * (online + 1)) / online <= meter.budgetWith(m, obs.vcpuPcpu[plug]!) * keep)) {
          out.push({ type: 'plug-vcpu', vcpu: plug, online: true });
        } else if (online > 1 && unplug >= 0 && backlog <= backlogBound && watts > meter.vmBudget[m]!) {
          out.push({ type: 'plug-vcpu', vcpu: unplug, online: false });
        }
      }
    },
  });
}
