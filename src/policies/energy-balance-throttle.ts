import { clearActions } from './action-list.js';
import { createEnergyBalancer, type EnergyBalancer } from './energy-balance.js';
import { numberInRange } from './param-range.js';
import type { HostAction, HostContext, HostObservation, HostPolicy } from './types.js';
import { pcpuPower } from './vcpu-power.js';

/** Profiles this close count as equal: a vCPU at its domain's mean power is hot. */
const eps = 1e-9;

/**
 * `energy-balance+throttle`: `energy-balance`'s migrations (same balancer, same parameters),
 * plus the poster's resort to preemption where migration is not enough: every tick, a core
 * near its temperature limit or a package over its power limit has its hot vCPUs (those at or
 * above the mean power profile of the vCPUs placed there after this tick's migrations)
 * throttled, and released (fraction 0) once it is back under. A vCPU in several throttled
 * domains takes the largest fraction.
 *
 * - Temperature (obs.coreCelsius), per core: engages above `limit_c` − `margin_c` (defaults
 *   85 and 3 °C), releases below that minus `hyst_c` (default 2 °C); while engaged the
 *   fraction is `gain_per_c` × (°C above the release point) (default 0.1 per °C: 0.2 on
 *   engaging, 0.5 at the limit), a proportional controller with hysteresis. At 0.1 per °C the
 *   loop gain of a 20 W core under the default thermal parameters (0.41 K/W to its heatsink)
 *   stays below 1, so it settles rather than oscillating.
 * - Power, per package: its demanded dynamic power (what it would draw unthrottled: background
 *   plus Σ profile × util of its vCPUs, from the balancer's estimate; measuring the throttled
 *   draw instead would release the throttle as soon as it worked) engages above
 *   `power_limit_w` (default none) and releases below it less `power_hyst_pct` % (default 5).
 *   While engaged the hot vCPUs give up the excess over the release point in proportion to
 *   their demanded power: fraction = excess / their demanded watts.
 * - `max_throttle` (default 0.9): the largest fraction, so a throttled vCPU still progresses.
 */
export function energyBalanceThrottlePolicy(): HostPolicy {
  const actions: HostAction[] = [];
  let balancer: EnergyBalancer;
  let pcpuCore: Int32Array = new Int32Array(0);
  let pcpuSocket: Int32Array = new Int32Array(0);
  let coreUsed = new Uint8Array(0);
  let engageC = 0;
  let releaseC = 0;
  let gainPerC = 0;
  let maxThrottle = 0;
  let powerLimit = Infinity;
  let powerRelease = Infinity;
  let coreOn = new Uint8Array(0);
  let sockOn = new Uint8Array(0);
  let sockDemand = new Float64Array(0);
  let pDyn = new Float64Array(0);
  let pRun = new Float64Array(0);
  let want = new Float64Array(0);
  let hot = new Int32Array(0);
  let hotCount = 0;

  /** Collects in `hot` the hot vCPUs placed in domain d of `domainOf` (per pCPU); returns their demanded power, W. */
  function collectHot(online: Uint8Array, domainOf: Int32Array, d: number): number {
    const { watts, util } = balancer.estimate;
    const where = balancer.where;
    let sum = 0;
    let n = 0;
    for (let v = 0; v < where.length; v++) {
      if (online[v] && util[v]! > 0 && domainOf[where[v]!] === d) {
        sum += watts[v]!;
        n++;
      }
    }
    hotCount = 0;
    let demand = 0;
    for (let v = 0; n > 0 && v < where.length; v++) {
      if (online[v] && util[v]! > 0 && domainOf[where[v]!] === d && watts[v]! >= sum / n - eps) {
        hot[hotCount++] = v;
        demand += watts[v]! * util[v]!;
      }
    }
    return demand;
  }

  function throttleHot(fraction: number): void {
    const f = Math.min(maxThrottle, Math.max(0, fraction));
    for (let k = 0; k < hotCount; k++) want[hot[k]!] = Math.max(want[hot[k]!]!, f);
  }

  function temperature(obs: HostObservation): void {
    for (let c = 0; c < coreOn.length; c++) {
      if (!coreUsed[c]) continue;
      const t = obs.coreCelsius[c]!;
      if (t > engageC) coreOn[c] = 1;
      else if (t < releaseC) coreOn[c] = 0;
      if (!coreOn[c]) continue;
      collectHot(obs.vcpuOnline, pcpuCore, c);
      throttleHot(gainPerC * (t - releaseC));
    }
  }

  function power(obs: HostObservation): void {
    const { watts, util, backgroundWatts } = balancer.estimate;
    const where = balancer.where;
    pDyn.fill(0);
    pRun.fill(0);
    sockDemand.fill(0);
    for (let v = 0; v < where.length; v++) {
      if (!obs.vcpuOnline[v]) continue;
      pRun[where[v]!]! += util[v]!;
      pDyn[where[v]!]! += watts[v]! * util[v]!;
    }
    for (let p = 0; p < pRun.length; p++) sockDemand[pcpuSocket[p]!]! += pcpuPower(backgroundWatts[p]!, pDyn[p]!, pRun[p]!, 1);
    for (let s = 0; s < sockOn.length; s++) {
      const demand = sockDemand[s]!;
      if (demand > powerLimit) sockOn[s] = 1;
      else if (demand < powerRelease) sockOn[s] = 0;
      if (!sockOn[s]) continue;
      const hotWatts = collectHot(obs.vcpuOnline, pcpuSocket, s);
      if (hotWatts > 0) throttleHot((demand - powerRelease) / hotWatts);
    }
  }

  return {
    init(ctx: HostContext) {
      balancer = createEnergyBalancer(ctx);
      engageC = ctx.limitC - numberInRange(ctx.params, 'margin_c', 3, { atLeast: 0 });
      releaseC = engageC - numberInRange(ctx.params, 'hyst_c', 2, { atLeast: 0 });
      gainPerC = numberInRange(ctx.params, 'gain_per_c', 0.1, { above: 0 });
      maxThrottle = numberInRange(ctx.params, 'max_throttle', 0.9, { above: 0, atMost: 1 });
      powerLimit = numberInRange(ctx.params, 'power_limit_w', Infinity, { above: 0 });
      powerRelease = powerLimit * (1 - numberInRange(ctx.params, 'power_hyst_pct', 5, { atLeast: 0, atMost: 100 }) / 100);
      pcpuCore = ctx.pcpuCore;
      pcpuSocket = ctx.pcpuSocket;
      coreUsed = new Uint8Array(ctx.cores);
      for (let p = 0; p < ctx.pcpus; p++) coreUsed[pcpuCore[p]!] = 1;
      coreOn = new Uint8Array(ctx.cores);
      sockOn = new Uint8Array(ctx.sockets);
      sockDemand = new Float64Array(ctx.sockets);
      pDyn = new Float64Array(ctx.pcpus);
      pRun = new Float64Array(ctx.pcpus);
      want = new Float64Array(ctx.vcpus);
      hot = new Int32Array(ctx.vcpus);
    },
    decide(obs: HostObservation) {
      clearActions(actions);
      balancer.decide(obs, actions);
      want.fill(0);
      temperature(obs);
      if (powerLimit < Infinity) power(obs);
      for (let v = 0; v < want.length; v++) {
        if (want[v] !== obs.vcpuThrottle[v]) actions.push({ type: 'throttle-vcpu', vcpu: v, fraction: want[v]! });
      }
      return actions;
    },
  };
}
