import { LuDecomposition, Matrix } from 'ml-matrix';
import type { DiscreteNetwork } from './step.js';

/**
 * A package's discretisation T' = Φ·T + Γ·P + γ split so one tick costs about a band's worth of
 * multiply-adds instead of nodes². Φ and Γ are dense, but only in a structured way: every core
 * has the same ties to the heatsink, so the all-cores-equal vector is an eigenvector of the core
 * block, and each core row equals a narrow band (lateral conduction decays like (g_cc·dt/C)^d/d!
 * with floorplan distance d) plus one constant that every other core shares (heat that reached
 * the heatsink and comes back evenly). Row i is stored as
 *
 *   T'ᵢ = γᵢ + Φshiftᵢ·ΣT_cores + Γshiftᵢ·ΣP_cores + Φsinkᵢ·T_hs + Γsinkᵢ·P_hs
 *        + Σ_stored (Φᵢⱼ − Φshiftᵢ)·T_j + (Γᵢⱼ − Γshiftᵢ)·P_j     (j over cores)
 *
 * which is exact for any shift. Φ, Γ ≥ 0 entrywise (heat only flows down gradients), so the row's
 * smallest core entry is its far-field value; with that as the shift the residuals left are the
 * band. Each row keeps one contiguous run of core columns, its ends trimmed of residuals too
 * small to matter (see `sparsify`): contiguous, so `step` reads temperatures and powers in order
 * with no column index per entry. Rows 0..cores−1 are the cores, row `cores` the heatsink.
 */
export interface SparseNetwork {
  /** Cores per package. */
  cores: number;
  /** Where each row's stored entries start in `phi`/`gamma`; length cores + 2. */
  rowStart: Int32Array;
  /** Per row: the core column of its first stored entry (the next ones follow on). */
  firstCore: Int32Array;
  /** Φᵢⱼ − Φshiftᵢ per stored entry. */
  phi: Float64Array;
  /** Γᵢⱼ − Γshiftᵢ per stored entry, K/W. */
  gamma: Float64Array;
  /** Per row: weight of the sum of core temperatures. */
  phiShift: Float64Array;
  /** Per row: weight of the sum of core powers, K/W. */
  gammaShift: Float64Array;
  /** Per row: Φ's heatsink column (never small: every node is tied to the heatsink). */
  phiSink: Float64Array;
  /** Per row: Γ's heatsink column, K/W. */
  gammaSink: Float64Array;
  /** γ, K per node. */
  offset: Float64Array;
}

/**
 * Worst-case accumulated error of the dropped entries, relative to the largest absolute
 * temperature (1e-10 °C at 100 °C), however many ticks run (see `sparsify`).
 */
export const sparseTolerance = 1e-12;

/**
 * Builds the sparse form of `d`. The error e of the sparse state obeys e' = Φ·e + δ with δ the
 * dropped terms, so over any number of ticks |e| ≤ Σₖ|Φ|ᵏ·|δ|max = (I − |Φ|)⁻¹·|δ|max
 * componentwise, whenever that series converges (ρ(|Φ|) < 1; Φ ≥ 0 here, heat only flows down
 * gradients, so the bound is tight). The largest entry gⱼ of column j of (I − |Φ|)⁻¹ is what a unit
 * error per tick in row j grows to: about C_j·R_j/dt, ≈ 2.7 for a default core but 14 000 for
 * the heatsink (its 14 s time constant over 1 ms). Each row trims residuals off its ends, the
 * smaller end first, while their magnitudes sum to at most `tolerance`/(nodes·gⱼ) (Φ part: the
 * accumulated error stays ≤ tolerance·max|T|) and `tolerance`·max|Γ|/(nodes·gⱼ) (Γ part: ≤
 * tolerance times the largest rise one tick of power causes, far below |T|). The row stores the
 * span of columns either part keeps. If the series diverges only exact zeros are trimmed.
 */
export function sparsify(d: DiscreteNetwork, tolerance = sparseTolerance): SparseNetwork {
  const nodes = d.nodes;
  const n = nodes - 1;
  const phiShift = new Float64Array(nodes);
  const gammaShift = new Float64Array(nodes);
  const phiSink = new Float64Array(nodes);
  const gammaSink = new Float64Array(nodes);
  const rowStart = new Int32Array(nodes + 1);
  const firstCore = new Int32Array(nodes);
  const phi: number[] = [];
  const gamma: number[] = [];
  const gain = errorGain(d.phi, nodes);
  const gammaMax = d.gamma.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const rp = new Float64Array(n);
  const rg = new Float64Array(n);
  for (let i = 0; i < nodes; i++) {
    const row = i * nodes;
    phiShift[i] = smallest(d.phi.subarray(row, row + n));
    gammaShift[i] = smallest(d.gamma.subarray(row, row + n));
    phiSink[i] = d.phi[row + n]!;
    gammaSink[i] = d.gamma[row + n]!;
    for (let j = 0; j < n; j++) {
      rp[j] = d.phi[row + j]! - phiShift[i]!;
      rg[j] = d.gamma[row + j]! - gammaShift[i]!;
    }
    const budget = tolerance / (nodes * gain[i]!);
    const [loP, hiP] = trimmed(rp, budget);
    const [loG, hiG] = trimmed(rg, budget * gammaMax);
    const lo = Math.min(loP, loG);
    firstCore[i] = lo;
    for (let j = lo; j <= Math.max(hiP, hiG); j++) {
      phi.push(rp[j]!);
      gamma.push(rg[j]!);
    }
    rowStart[i + 1] = phi.length;
  }
  return {
    cores: n, rowStart, firstCore, phi: Float64Array.from(phi), gamma: Float64Array.from(gamma),
    phiShift, gammaShift, phiSink, gammaSink, offset: Float64Array.from(d.offset),
  };
}

/**
 * Per row j, the largest entry of column j of (I − |Φ|)⁻¹ (n×n row-major Φ): the bound on what
 * an error of 1 per tick in row j accumulates to anywhere. Infinite when ρ(|Φ|) ≥ 1, which shows
 * as a singular or not entirely non-negative inverse (I − B is a non-singular M-matrix exactly
 * when ρ(B) < 1).
 */
function errorGain(phi: Float64Array, n: number): Float64Array {
  const gain = new Float64Array(n).fill(Infinity);
  const lu = new LuDecomposition(Matrix.from1DArray(n, n, phi.map((v, k) => (k % (n + 1) === 0 ? 1 : 0) - Math.abs(v))));
  if (lu.isSingular()) return gain;
  const inv = lu.solve(Matrix.eye(n, n));
  for (let j = 0; j < n; j++) {
    let max = 0;
    for (let i = 0; i < n; i++) {
      const v = inv.get(i, j);
      if (!(v >= 0)) return gain.fill(Infinity);
      max = Math.max(max, v);
    }
    gain[j] = max;
  }
  return gain;
}

/** The smallest entry of `v` (0 when empty). */
function smallest(v: Float64Array): number {
  return v.length === 0 ? 0 : v.reduce((m, x) => Math.min(m, x));
}

/**
 * The run [lo, hi] of `v` left after trimming its ends, the smaller end first, while the trimmed
 * magnitudes sum to at most `budget`. Empty (lo = length, hi = −1) when everything goes.
 */
function trimmed(v: Float64Array, budget: number): [number, number] {
  let lo = 0;
  let hi = v.length - 1;
  let dropped = 0;
  while (lo <= hi) {
    const left = Math.abs(v[lo]!) <= Math.abs(v[hi]!);
    dropped += Math.abs(v[left ? lo : hi]!);
    if (dropped > budget) break;
    if (left) lo++;
    else hi--;
  }
  return lo <= hi ? [lo, hi] : [v.length, -1];
}
