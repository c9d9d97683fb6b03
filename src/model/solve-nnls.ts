import { solveSymmetric, subsystem } from './dense.js';
import type { Bounds, NormalEquations } from './normal-equations.js';

/**
 * Non-negative least squares on the normal equations (Lawson–Hanson active set), for
 * `min ‖y − Zβ‖²` subject to `β ≥ 0`. Works on ZᵀZ and Zᵀy only, so its cost does not depend on
 * the number of intervals. Returns β (scaled).
 */
export function lawsonHanson(a: Float64Array, q: number, b: Float64Array): Float64Array {
  const x = new Float64Array(q);
  const passive = new Uint8Array(q);
  const skipped = new Uint8Array(q);
  let bmax = 0;
  for (let i = 0; i < q; i++) bmax = Math.max(bmax, Math.abs(b[i]!));
  const tol = 1e-12 * Math.max(bmax, Number.MIN_VALUE);
  const w = Float64Array.from(b);
  for (let outer = 0; outer < 3 * q + 10; outer++) {
    let best = -1;
    for (let j = 0; j < q; j++) if (!passive[j] && !skipped[j] && w[j]! > tol && (best < 0 || w[j]! > w[best]!)) best = j;
    if (best < 0) break;
    passive[best] = 1;
    for (let inner = 0; ; inner++) {
      const idx: number[] = [];
      for (let j = 0; j < q; j++) if (passive[j]) idx.push(j);
      const sub = subsystem(a, q, b, idx);
      const z = solveSymmetric(sub.a, idx.length, sub.b);
      let alpha = Infinity;
      for (let k = 0; k < idx.length; k++) {
        const j = idx[k]!;
        if (z[k]! <= 0) alpha = Math.min(alpha, x[j]! / (x[j]! - z[k]!));
      }
      if (alpha === Infinity) {
        for (let k = 0; k < idx.length; k++) x[idx[k]!] = z[k]!;
        break;
      }
      if (inner === 0 && x[best] === 0 && z[idx.indexOf(best)]! <= 0) {
        // Rounding made the entering variable's solution non-positive although its gradient
        // was positive: leave it out rather than cycle.
        passive[best] = 0;
        skipped[best] = 1;
        break;
      }
      for (let k = 0; k < idx.length; k++) {
        const j = idx[k]!;
        x[j] = x[j]! + alpha * (z[k]! - x[j]!);
        if (x[j]! <= 1e-15 * Math.abs(z[k]!) || x[j]! <= 0) {
          x[j] = 0;
          passive[j] = 0;
        }
      }
    }
    for (let i = 0; i < q; i++) {
      let s = b[i]!;
      for (let j = 0; j < q; j++) s -= a[i * q + j]! * x[j]!;
      w[i] = s;
    }
  }
  return x;
}

/**
 * NNLS with finite upper bounds on some coefficients (the static power's TDP): solve without
 * them; any coefficient above its bound is fixed there and the rest re-solved. For a convex
 * problem whose unbounded minimiser breaks a bound, the bounded minimiser lies on that bound, so
 * this ends after at most one round per bounded coefficient.
 */
export function solveNnls(ne: NormalEquations, bounds: Bounds): Float64Array {
  const { q, a, b } = ne;
  const atUpper = new Uint8Array(q);
  for (let round = 0; round <= q; round++) {
    const free: number[] = [];
    const rhs: number[] = [];
    for (let i = 0; i < q; i++) if (!atUpper[i]) free.push(i);
    for (const i of free) {
      let s = b[i]!;
      for (let j = 0; j < q; j++) if (atUpper[j]) s -= a[i * q + j]! * bounds.upper[j]!;
      rhs.push(s);
    }
    const sub = subsystem(a, q, Float64Array.from(b), free);
    const xs = lawsonHanson(sub.a, free.length, Float64Array.from(rhs));
    const x = new Float64Array(q);
    for (let i = 0; i < q; i++) if (atUpper[i]) x[i] = bounds.upper[i]!;
    let broken = false;
    for (let k = 0; k < free.length; k++) {
      const i = free[k]!;
      x[i] = xs[k]!;
      if (x[i]! > bounds.upper[i]!) {
        atUpper[i] = 1;
        broken = true;
      }
    }
    if (!broken) return x;
  }
  throw new Error('unreachable: every bounded coefficient is fixed after q rounds');
}
