import { clearActions } from './action-list.js';
import { numberInRange } from './param-range.js';
import type { HostAction, HostContext, HostObservation, HostPolicy } from './types.js';
import { VcpuPowerEstimate, pcpuPower } from './vcpu-power.js';

/** The migration half of the energy policies, shared by `energy-balance` and `energy-balance+throttle`. */
export interface EnergyBalancer {
  /** The vCPU power profiles it balances on, refreshed by every `decide`. */
  readonly estimate: VcpuPowerEstimate;
  /** pCPU of each vCPU once this tick's migrations apply. */
  readonly where: Int32Array;
  /** Folds in the tick's observation and appends this tick's migrations (if any) to `out`. */
  decide(obs: HostObservation, out: HostAction[]): void;
}

/** Watts (and °C) closer than this are equal: ties go to the random stream, not to float noise. */
const eps = 1e-9;

/**
 * Builds the balancer of `energy-balance` from `ctx` (reads its parameters; see
 * `energyBalancePolicy`). Each balancing step predicts every pCPU's power from the vCPUs on it
 * (`pcpuPower`, each vCPU running min(util, 1 − its throttle) of a pCPU), sums pCPUs into
 * thermal cores (SMT siblings share one) and packages, and measures the spread, W: the absolute
 * deviations of each core's power from its package's mean, plus those of each package's power
 * from the packages' mean (for two cores, max − min). Unlike max − min over many cores, this
 * falls with every step that evens out a pair, so greedy steps make progress. It then tries, between the hottest
 * and coolest core of each package and between the hottest core of the hottest package and the
 * coolest of the coolest, every move of one vCPU (to the less loaded sibling) and every swap of
 * two, keeps those that pass the load rule, and takes the one that cuts the spread most net of
 * `resist_w` per migration, while that net cut is positive and the interval's budget lasts.
 */
export function createEnergyBalancer(ctx: HostContext): EnergyBalancer {
  const intervalTicks = Math.max(1, Math.round(numberInRange(ctx.params, 'interval_ms', 100, { above: 0 }) / 1000 / ctx.tickSeconds));
  const halflifeSeconds = numberInRange(ctx.params, 'halflife_ms', 32, { above: 0 }) / 1000;
  const resistWatts = numberInRange(ctx.params, 'resist_w', 0.5, { atLeast: 0 });
  const maxMigrations = Math.floor(numberInRange(ctx.params, 'max_migrations', 4, { atLeast: 0 }));
  const loadCap = numberInRange(ctx.params, 'load_cap', 0.9, { above: 0 });
  const rng = ctx.rng('ties');
  const estimate = new VcpuPowerEstimate(ctx, halflifeSeconds);
  const { pcpus: P, cores: C, sockets: S, vcpus: V, pcpuCore, pcpuSocket } = ctx;
  const where = new Int32Array(V);
  /** Fraction of a pCPU each vCPU is expected to run. */
  const run = new Float64Array(V);
  const pRun = new Float64Array(P);
  const pDyn = new Float64Array(P);
  const pCap = new Float64Array(P);
  const pPower = new Float64Array(P);
  const corePower = new Float64Array(C);
  const sockPower = new Float64Array(S);
  // Cores without a pCPU (a layout wider than the host) take no part: nothing can run there.
  const coreSocket = new Int32Array(C).fill(-1);
  for (let p = 0; p < P; p++) coreSocket[pcpuCore[p]!] = pcpuSocket[p]!;
  const coresIn = new Int32Array(S);
  for (let c = 0; c < C; c++) if (coreSocket[c]! >= 0) coresIn[coreSocket[c]!]!++;
  let socketsUsed = 0;
  for (let s = 0; s < S; s++) if (coresIn[s]! > 0) socketsUsed++;
  const srcVcpus: number[] = [];
  const dstVcpus: number[] = [];
  let celsius: Float64Array = new Float64Array(C);
  // The best candidate of the current step: move `bestV` to `bestTo`, and `bestU` (if ≥ 0) to where `bestV` was.
  let bestNet = 0;
  let bestV = -1;
  let bestU = -1;
  let bestTo = -1;
  let ties = 0;

  function refresh(p: number): void {
    const w = pcpuPower(estimate.backgroundWatts[p]!, pDyn[p]!, pRun[p]!, pCap[p]!);
    const d = w - pPower[p]!;
    pPower[p] = w;
    corePower[pcpuCore[p]!]! += d;
    sockPower[pcpuSocket[p]!]! += d;
  }

  function shift(v: number, to: number): void {
    const from = where[v]!;
    const r = run[v]!;
    const d = estimate.watts[v]! * r;
    pRun[from]! -= r;
    pDyn[from]! -= d;
    pRun[to]! += r;
    pDyn[to]! += d;
    where[v] = to;
    refresh(from);
    refresh(to);
  }

  /** Σ |core power − its package's mean core power| + Σ |package power − mean package power|, W. */
  function spread(): number {
    let total = 0;
    let all = 0;
    for (let c = 0; c < C; c++) {
      const s = coreSocket[c]!;
      if (s >= 0) total += Math.abs(corePower[c]! - sockPower[s]! / coresIn[s]!);
    }
    for (let s = 0; s < S; s++) all += sockPower[s]!;
    for (let s = 0; s < S; s++) if (coresIn[s]! > 0) total += Math.abs(sockPower[s]! - all / socketsUsed);
    return total;
  }

  /** Load rule: a move may not make the busier of its two pCPUs busier, except up to `load_cap`. */
  function fits(p: number, q: number, afterP: number, afterQ: number): boolean {
    return Math.max(afterP, afterQ) <= Math.max(pRun[p]!, pRun[q]!, loadCap) + eps;
  }

  function consider(net: number, v: number, u: number, to: number): void {
    if (net > bestNet + eps) {
      ties = 1;
    } else if (bestV >= 0 && net >= bestNet - eps) {
      // Reservoir sampling: each of the equally good candidates is kept with equal chance.
      if (rng.int(++ties) !== 0) return;
    } else return;
    bestNet = Math.max(bestNet, net);
    bestV = v;
    bestU = u;
    bestTo = to;
  }

  function tryMove(v: number, to: number, before: number): void {
    const from = where[v]!;
    if (!fits(from, to, pRun[from]! - run[v]!, pRun[to]! + run[v]!)) return;
    shift(v, to);
    const net = before - spread() - resistWatts;
    shift(v, from);
    consider(net, v, -1, to);
  }

  function trySwap(v: number, u: number, before: number): void {
    const p = where[v]!;
    const q = where[u]!;
    if (!fits(p, q, pRun[p]! - run[v]! + run[u]!, pRun[q]! - run[u]! + run[v]!)) return;
    shift(v, q);
    shift(u, p);
    const net = before - spread() - 2 * resistWatts;
    shift(u, q);
    shift(v, p);
    consider(net, v, u, q);
  }

  /**
   * The index i < n with include(i) whose key is largest (`sign` 1) or smallest (−1); equal keys
   * go to the larger (smaller) `tie` key, then to the random stream. −1 when none qualifies.
   */
  function extreme(n: number, sign: number, key: (i: number) => number, tie: (i: number) => number,
    include: (i: number) => boolean): number {
    let best = -1;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!include(i)) continue;
      const dk = best < 0 ? 1 : sign * (key(i) - key(best));
      const dt = best < 0 ? 0 : sign * (tie(i) - tie(best));
      if (dk > eps || (dk >= -eps && dt > eps)) {
        best = i;
        count = 1;
      } else if (dk >= -eps && dt >= -eps && rng.int(++count) === 0) best = i;
    }
    return best;
  }

  const coreKey = (c: number): number => corePower[c]!;
  const coreTie = (c: number): number => celsius[c]!;
  const sockKey = (s: number): number => sockPower[s]!;
  const noTie = (): number => 0;
  const isUsed = (s: number): boolean => coresIn[s]! > 0;

  /** Power-hottest (`sign` 1) or coolest (−1) core of socket s; equal powers go to the hotter (cooler) core, °C. */
  function coreOf(s: number, sign: number): number {
    return extreme(C, sign, coreKey, coreTie, (c) => coreSocket[c] === s);
  }

  function search(a: number, b: number, before: number, swaps: boolean): void {
    if (a < 0 || b < 0 || a === b) return;
    srcVcpus.length = 0;
    dstVcpus.length = 0;
    for (let v = 0; v < V; v++) {
      if (run[v]! <= 0) continue;
      const c = pcpuCore[where[v]!]!;
      if (c === a) srcVcpus.push(v);
      else if (c === b) dstVcpus.push(v);
    }
    if (srcVcpus.length === 0) return;
    const to = extreme(P, -1, (p) => pRun[p]!, noTie, (p) => pcpuCore[p] === b);
    for (const v of srcVcpus) {
      tryMove(v, to, before);
      if (swaps) for (const u of dstVcpus) trySwap(v, u, before);
    }
  }

  function balance(obs: HostObservation, out: HostAction[]): void {
    celsius = obs.coreCelsius;
    pRun.fill(0);
    pDyn.fill(0);
    for (let v = 0; v < V; v++) {
      run[v] = obs.vcpuOnline[v] ? Math.min(estimate.util[v]!, 1 - obs.vcpuThrottle[v]!) : 0;
      pRun[where[v]!]! += run[v]!;
      pDyn[where[v]!]! += estimate.watts[v]! * run[v]!;
    }
    corePower.fill(0);
    sockPower.fill(0);
    for (let p = 0; p < P; p++) {
      pCap[p] = 1 - obs.pcpuThrottle[p]!;
      pPower[p] = 0;
      refresh(p);
    }
    for (let budget = maxMigrations; budget > 0;) {
      const before = spread();
      bestNet = 0;
      bestV = -1;
      ties = 0;
      for (let s = 0; s < S; s++) search(coreOf(s, 1), coreOf(s, -1), before, budget >= 2);
      if (S > 1) {
        const hot = extreme(S, 1, sockKey, noTie, isUsed);
        const cool = extreme(S, -1, sockKey, noTie, isUsed);
        if (hot !== cool) search(coreOf(hot, 1), coreOf(cool, -1), before, budget >= 2);
      }
      if (bestV < 0) return;
      const from = where[bestV]!;
      shift(bestV, bestTo);
      out.push({ type: 'migrate', vcpu: bestV, pcpu: bestTo });
      budget--;
      if (bestU >= 0) {
        shift(bestU, from);
        out.push({ type: 'migrate', vcpu: bestU, pcpu: from });
        budget--;
      }
    }
  }

  return {
    estimate,
    where,
    decide(obs: HostObservation, out: HostAction[]): void {
      estimate.observe(obs);
      where.set(obs.vcpuPcpu);
      if (obs.tick > 0 && obs.tick % intervalTicks === 0) balance(obs, out);
    },
  };
}

/**
 * `energy-balance`: the poster's energy-driven VM migration, as Merkel & Bellosa balance
 * power across processors: hot and cool vCPUs are mixed on every core and package so that
 * no core or package runs all the hot work. Per-vCPU power profiles come from
 * `VcpuPowerEstimate` (obs.vmPcpuWatts, obs.vcpuRunSeconds, obs.vcpuBacklogSeconds,
 * obs.pcpuWatts); obs.coreCelsius breaks ties between equally powered cores, so the move goes
 * from the hotter core; obs.vcpuThrottle and obs.pcpuThrottle bound what a vCPU can run. See
 * `createEnergyBalancer` for the step. Parameters:
 * - `interval_ms` (default 100): time between balancing steps. Several Xen credit slices
 *   (30 ms), so the demand averages settle, yet below the time a core needs to heat up under a
 *   changed load (the heatsink's seconds), so the spread is undone before it shows as heat.
 * - `halflife_ms` (default 32, Linux PELT's): half-life of the power and demand averages.
 * - `resist_w` (default 0.5): migration resistance: a move must cut the power spread by more
 *   than this per migration (a swap: twice). Under the default thermal parameters a core sits
 *   about 0.4 °C/W above its heatsink, so smaller gains move temperatures by < 0.2 °C: not worth
 *   a migration, and noise in the profiles cannot make vCPUs ping-pong.
 * - `max_migrations` (default 4): migrations per interval at most, bounding the overhead to
 *   4 × `migration_cost_us` per 100 ms (0.2 % of one pCPU at the default 50 µs).
 * - `load_cap` (default 0.9): load rule: a move may raise the busier of its two pCPUs only up
 *   to this fraction of a pCPU (its expected run time, Σ min(util, 1 − throttle)), leaving
 *   headroom for bursts, so power balancing never piles vCPUs onto one pCPU.
 * Equally good moves, and equally hot cores of equal temperature, are drawn from the random
 * stream `ties`.
 */
export function energyBalancePolicy(): HostPolicy {
  const actions: HostAction[] = [];
  let balancer: EnergyBalancer;
  return {
    init(ctx: HostContext) {
      balancer = createEnergyBalancer(ctx);
    },
    decide(obs: HostObservation) {
      // One array reused every tick: the engine applies actions before the next decide.
      clearActions(actions);
      balancer.decide(obs, actions);
      return actions;
    },
  };
}
