import { emptyGram, type Gram } from '../model/design.js';
import { normalEquations, unscale } from '../model/normal-equations.js';
import { lawsonHanson } from '../model/solve-nnls.js';
import type { GuestContext, GuestObservation } from './types.js';

/** Least replay time between refits of the guest's energy model, s. */
const refitSeconds = 0.01;
/** Ridge on the scaled normal equations: keeps collinear counters solvable (Cholesky) without biasing the fit. */
const ridge = 1e-9;

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Each task's power profile as a guest can estimate it (Bellosa's event-driven accounting inside
 * the VM). A guest sees its tasks' virtualised counters (`taskEventRates`, events per running
 * second), how long each ran (`taskRunSeconds`) and its vCPUs' power (`vcpuWatts`), but not the
 * host's energy weights; so it fits its own: every tick and vCPU that ran gives one row,
 * `vcpuWatts[v] = Σ_e w_e · Σ_{tasks k on v} run_k · rate_{k,e} / tick`, and the non-negative
 * least-squares weights over all rows so far (the same scaled normal equations and
 * Lawson–Hanson solver as `vheat calibrate`) turn each task's current rates into watts. Rows pair
 * a tick's power with the rates of that same tick (kept from the previous observation), so rate
 * changes at sample boundaries do not blur the fit. The host's weights never change, so it refits
 * only when rows can say something new: the first rows, and rows after the tasks' rates or
 * placement changed (at most every 10 ms of replay time). Migration warm-up energy in `vcpuWatts`
 * is noise it averages out.
 */
export class TaskPower {
  /** Estimated power of each task while it runs, W (Σ fitted weight × its current event rate); 0 before any fit. */
  readonly watts: Float64Array;
  /** Fitted energy per event, J, in `ctx.events` order (all ≥ 0). */
  weights: Float64Array;
  readonly #events: number;
  readonly #tickSeconds: number;
  readonly #refitTicks: number;
  readonly #gram: Gram;
  readonly #cols: number[];
  /** Rates the tasks ran with in the previous tick (task × event), and whether they differ from the tick before. */
  readonly #rates: Float64Array;
  #ratesChanged = true;
  /** Task placement of the previous rows. */
  readonly #placement: Int32Array;
  /** A change not yet seen in rows; rows since the last fit that show one. */
  #pending = true;
  #news = false;
  #lastFit = -Infinity;
  /** Scratch: events per second of each vCPU's row (vCPU × event), and CPU-s run on it. */
  readonly #rows: Float64Array;
  readonly #ran: Float64Array;

  constructor(ctx: GuestContext) {
    const E = ctx.events.length;
    this.#events = E;
    this.#tickSeconds = ctx.tickSeconds;
    this.#refitTicks = Math.max(1, Math.round(refitSeconds / ctx.tickSeconds));
    this.#gram = emptyGram(E);
    this.#cols = Array.from({ length: E }, (_, e) => e);
    this.#rates = new Float64Array(ctx.tasks * E);
    this.#placement = new Int32Array(ctx.tasks).fill(-2);
    this.#rows = new Float64Array(ctx.vcpus * E);
    this.#ran = new Float64Array(ctx.vcpus);
    this.watts = new Float64Array(ctx.tasks);
    this.weights = new Float64Array(E);
  }

  /** Adds the previous tick's rows, refits when due, and updates `watts` to the current rates. Call once per tick. */
  observe(obs: GuestObservation): void {
    const E = this.#events;
    if (E === 0) return;
    this.#pending ||= this.#ratesChanged || !sameValues(obs.taskVcpu, this.#placement);
    this.#placement.set(obs.taskVcpu);
    if (this.#addRows(obs) && this.#pending) {
      this.#news = true;
      this.#pending = false;
    }
    this.#ratesChanged = !sameValues(obs.taskEventRates, this.#rates);
    if (this.#ratesChanged) this.#rates.set(obs.taskEventRates);
    const refit = this.#news && obs.tick - this.#lastFit >= this.#refitTicks;
    if (refit) {
      const ne = normalEquations(this.#gram, this.#cols);
      for (let i = 0; i < ne.q; i++) ne.a[i * ne.q + i]! += ridge;
      this.weights = unscale(ne, lawsonHanson(ne.a, ne.q, ne.b));
      this.#news = false;
      this.#lastFit = obs.tick;
    }
    if (!refit && !this.#ratesChanged) return;
    const w = this.weights;
    for (let k = 0; k < this.watts.length; k++) {
      let s = 0;
      for (let e = 0; e < E; e++) s += w[e]! * this.#rates[k * E + e]!;
      this.watts[k] = s;
    }
  }

  /** One row per vCPU that ran: its tasks' events per second of the tick against its power; false when none ran. */
  #addRows(obs: GuestObservation): boolean {
    const E = this.#events;
    const x = this.#rows;
    const ran = this.#ran;
    x.fill(0);
    ran.fill(0);
    for (let k = 0; k < obs.taskVcpu.length; k++) {
      const v = obs.taskVcpu[k]!;
      const run = obs.taskRunSeconds[k]!;
      if (v < 0 || run <= 0) continue;
      ran[v]! += run;
      const share = run / this.#tickSeconds;
      for (let e = 0; e < E; e++) x[v * E + e]! += share * this.#rates[k * E + e]!;
    }
    const g = this.#gram;
    let added = false;
    for (let v = 0; v < ran.length; v++) {
      if (ran[v]! <= 0) continue;
      const y = obs.vcpuWatts[v]!;
      const at = v * E;
      for (let i = 0; i < E; i++) {
        g.xy[i]! += x[at + i]! * y;
        for (let j = 0; j < E; j++) g.xx[i * E + j]! += x[at + i]! * x[at + j]!;
      }
      g.yy += y * y;
      g.sy += y;
      g.n++;
      added = true;
    }
    return added;
  }
}
