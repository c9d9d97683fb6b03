import type { HostContext, HostObservation } from './types.js';

/**
 * Predicted power of one pCPU, W: its host background plus the vCPUs on it, `dynWatts` =
 * Σ (watts while running × fraction of a pCPU it would run) and `runFraction` the sum of those
 * fractions. When they want more than the pCPU's `capacity` (fraction of the tick it is not
 * throttled), they share it and the pCPU draws their run-weighted average power over it.
 */
export function pcpuPower(backgroundWatts: number, dynWatts: number, runFraction: number, capacity: number): number {
  return backgroundWatts + (runFraction > capacity ? (dynWatts * capacity) / runFraction : dynWatts);
}

/**
 * Each vCPU's power profile and demand, refreshed every tick from the host observation (Merkel
 * & Bellosa's per-task energy profiles, kept per vCPU by the host). Fields read, all describing
 * the previous tick, whose placement is `obs.vcpuPcpu` (only the host moves vCPUs, and only
 * before a tick executes):
 * - `watts[v]`: power while running, W. Sample = `obs.vmPcpuWatts[vm × pcpus + pcpu] × tick /
 *   Σ obs.vcpuRunSeconds` over the VM's vCPUs on that pCPU, averaged exponentially with weight
 *   1 − ½^(run / half-life), so a vCPU that ran briefly moves its profile little. Exact when a VM
 *   has one vCPU per pCPU; a VM's vCPUs sharing a pCPU get their common average (the
 *   observation does not separate them). A migration's cache warm-up counts as the vCPU's.
 *   0 until the vCPU first runs.
 * - `util[v]`: fraction of a pCPU the vCPU wants, 0..1: per-tick exponential average (same
 *   half-life) of min(1, `obs.vcpuBacklogSeconds` / tick), as Linux's PELT tracks load, but
 *   starting from the first tick's value rather than from 0 (an estimate that starts low
 *   would let the first balancing pile vCPUs onto one pCPU).
 * - `backgroundWatts[p]`: the host's own power on pCPU p, which no migration moves, W: the
 *   average of `obs.pcpuWatts[p]` − Σ over VMs of `obs.vmPcpuWatts[vm × pcpus + p]`.
 */
export class VcpuPowerEstimate {
  /** Power of each vCPU while running, W. */
  readonly watts: Float64Array;
  /** Fraction of a pCPU each vCPU wants, 0..1. */
  readonly util: Float64Array;
  /** Host background power of each pCPU, W. */
  readonly backgroundWatts: Float64Array;
  readonly #seen: Uint8Array;
  readonly #vcpuVm: Int32Array;
  readonly #vms: number;
  readonly #tickSeconds: number;
  readonly #halflifeSeconds: number;
  readonly #decay: number;
  /** Σ run of a VM's vCPUs per pCPU in the last tick (vm × pcpus + pcpu), zeroed after use. */
  readonly #siblingRun: Float64Array;
  /** Weight of the old average in this observation: 0 the first time, so averages start at the first sample, not at 0. */
  #keep = 0;

  /** `halflifeSeconds`: half-life of both averages (running time for `watts`, wall time for the rest). */
  constructor(ctx: HostContext, halflifeSeconds: number) {
    this.watts = new Float64Array(ctx.vcpus);
    this.util = new Float64Array(ctx.vcpus);
    this.backgroundWatts = new Float64Array(ctx.pcpus);
    this.#seen = new Uint8Array(ctx.vcpus);
    this.#vcpuVm = ctx.vcpuVm;
    this.#vms = ctx.vms.length;
    this.#tickSeconds = ctx.tickSeconds;
    this.#halflifeSeconds = halflifeSeconds;
    this.#decay = 0.5 ** (ctx.tickSeconds / halflifeSeconds);
    this.#siblingRun = new Float64Array(ctx.vms.length * ctx.pcpus);
  }

  /** Folds in one tick's observation. */
  observe(obs: HostObservation): void {
    const h = this.#tickSeconds;
    const P = obs.pcpuWatts.length;
    const V = this.watts.length;
    const decay = this.#keep;
    this.#keep = this.#decay;
    const sibling = this.#siblingRun;
    for (let v = 0; v < V; v++) sibling[this.#vcpuVm[v]! * P + obs.vcpuPcpu[v]!]! += obs.vcpuRunSeconds[v]!;
    for (let v = 0; v < V; v++) {
      this.util[v] = decay * this.util[v]! + (1 - decay) * Math.min(1, obs.vcpuBacklogSeconds[v]! / h);
      const run = obs.vcpuRunSeconds[v]!;
      if (run <= 0) continue;
      const at = this.#vcpuVm[v]! * P + obs.vcpuPcpu[v]!;
      const sample = (obs.vmPcpuWatts[at]! * h) / sibling[at]!;
      const weight = this.#seen[v] ? 1 - 0.5 ** (run / this.#halflifeSeconds) : 1;
      this.watts[v]! += weight * (sample - this.watts[v]!);
      this.#seen[v] = 1;
    }
    for (let v = 0; v < V; v++) sibling[this.#vcpuVm[v]! * P + obs.vcpuPcpu[v]!] = 0;
    for (let p = 0; p < P; p++) {
      let vmWatts = 0;
      for (let m = 0; m < this.#vms; m++) vmWatts += obs.vmPcpuWatts[m * P + p]!;
      const sample = Math.max(0, obs.pcpuWatts[p]! - vmWatts);
      this.backgroundWatts[p] = decay * this.backgroundWatts[p]! + (1 - decay) * sample;
    }
  }
}
