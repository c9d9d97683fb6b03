import { clearActions } from './action-list.js';
import type { HostAction, HostContext, HostObservation, HostPolicy, RandomStream } from './types.js';

/**
 * `load-balance`: a credit-like host balancer. Every `slice_ms` (default 30, Xen credit's time
 * slice) it takes each vCPU's load over the slice (CPU-s it ran plus what it still has
 * waiting) and moves vCPUs from the busiest to the idlest pCPU while a move narrows their gap
 * by more than the migration resistance `resist_us` (default 500 µs of CPU time per slice,
 * credit2's `migrate_resist`). Among equally idle pCPUs the destination is drawn from the
 * policy's random stream `steal`, so seeds differ only where the choice is a tie.
 */
export function loadBalancePolicy(): HostPolicy {
  const actions: HostAction[] = [];
  let sliceTicks = 1;
  let resistSeconds = 0;
  let rng: RandomStream;
  let ran = new Float64Array(0);
  let vcpuLoad = new Float64Array(0);
  let pcpuLoad = new Float64Array(0);
  let where = new Int32Array(0);

  function idlest(): number {
    let best = Infinity;
    let ties = 0;
    for (let p = 0; p < pcpuLoad.length; p++) {
      if (pcpuLoad[p]! < best) {
        best = pcpuLoad[p]!;
        ties = 1;
      } else if (pcpuLoad[p] === best) ties++;
    }
    let pick = ties > 1 ? rng.int(ties) : 0;
    for (let p = 0; p < pcpuLoad.length; p++) if (pcpuLoad[p] === best && pick-- === 0) return p;
    return 0;
  }

  function busiest(): number {
    let best = 0;
    for (let p = 1; p < pcpuLoad.length; p++) if (pcpuLoad[p]! > pcpuLoad[best]!) best = p;
    return best;
  }

  function balance(obs: HostObservation): void {
    where.set(obs.vcpuPcpu);
    pcpuLoad.fill(0);
    for (let v = 0; v < where.length; v++) {
      vcpuLoad[v] = obs.vcpuOnline[v] ? ran[v]! + obs.vcpuBacklogSeconds[v]! : 0;
      pcpuLoad[where[v]!]! += vcpuLoad[v]!;
    }
    for (let moves = 0; moves < where.length; moves++) {
      const src = busiest();
      const dst = idlest();
      const gap = pcpuLoad[src]! - pcpuLoad[dst]!;
      let pick = -1;
      let bestGain = resistSeconds;
      for (let v = 0; v < where.length; v++) {
        if (where[v] !== src) continue;
        const gain = gap - Math.abs(gap - 2 * vcpuLoad[v]!);
        if (gain > bestGain) {
          bestGain = gain;
          pick = v;
        }
      }
      if (pick < 0) return;
      where[pick] = dst;
      pcpuLoad[src]! -= vcpuLoad[pick]!;
      pcpuLoad[dst]! += vcpuLoad[pick]!;
      actions.push({ type: 'migrate', vcpu: pick, pcpu: dst });
    }
  }

  return {
    init(ctx: HostContext) {
      sliceTicks = Math.max(1, Math.round(ctx.params.number('slice_ms', 30) / 1000 / ctx.tickSeconds));
      resistSeconds = ctx.params.number('resist_us', 500) * 1e-6;
      rng = ctx.rng('steal');
      ran = new Float64Array(ctx.vcpus);
      vcpuLoad = new Float64Array(ctx.vcpus);
      pcpuLoad = new Float64Array(ctx.pcpus);
      where = new Int32Array(ctx.vcpus);
    },
    decide(obs: HostObservation) {
      clearActions(actions);
      for (let v = 0; v < ran.length; v++) ran[v]! += obs.vcpuRunSeconds[v]!;
      if (obs.tick > 0 && obs.tick % sliceTicks === 0) {
        balance(obs);
        ran.fill(0);
      }
      return actions;
    },
  };
}
