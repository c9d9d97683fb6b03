import { LuDecomposition, Matrix } from 'ml-matrix';
import { matmul, norm1 } from './dense.js';

// Padé(13) coefficients and the 1-norm bound below which it is accurate to double precision
// (Higham 2005, "The scaling and squaring method for the matrix exponential revisited", Table 2.3).
const b = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
  10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
] as const;
const theta13 = 5.371920351148152;

/** Σ cᵢ·Mᵢ + d·I for n×n matrices. */
function lincomb(n: number, terms: readonly (readonly [number, Float64Array])[], d: number): Float64Array {
  const out = new Float64Array(n * n);
  for (const [c, m] of terms) for (let i = 0; i < out.length; i++) out[i]! += c * m[i]!;
  for (let i = 0; i < n; i++) out[i * n + i]! += d;
  return out;
}

/**
 * e^A for a dense n×n matrix (row-major), by scaling and squaring with the degree-13 Padé
 * approximant (Higham 2005): A is scaled by 2^-s until ‖A‖₁ ≤ θ₁₃, the approximant
 * (V − U)⁻¹(V + U) is formed from A², A⁴, A⁶, and the result squared s times. Accurate to
 * about machine precision relative to ‖e^A‖ for any norm, so stiff thermal systems with
 * millisecond core time constants and multi-second ticks need no special care.
 */
export function expm(a: Float64Array, n: number): Float64Array {
  const norm = norm1(a, n);
  const s = norm > theta13 ? Math.ceil(Math.log2(norm / theta13)) : 0;
  const scale = 2 ** -s;
  const as = a.map((v) => v * scale);
  const a2 = matmul(as, as, n);
  const a4 = matmul(a2, a2, n);
  const a6 = matmul(a4, a2, n);
  const u = matmul(as, lincomb(n, [
    [1, matmul(a6, lincomb(n, [[b[13], a6], [b[11], a4], [b[9], a2]], 0), n)], [b[7], a6], [b[5], a4], [b[3], a2],
  ], b[1]), n);
  const v = lincomb(n, [
    [1, matmul(a6, lincomb(n, [[b[12], a6], [b[10], a4], [b[8], a2]], 0), n)], [b[6], a6], [b[4], a4], [b[2], a2],
  ], b[0]);
  const p = lincomb(n, [[1, v], [1, u]], 0);
  const q = lincomb(n, [[1, v], [-1, u]], 0);
  let r = Float64Array.from(new LuDecomposition(Matrix.from1DArray(n, n, q)).solve(Matrix.from1DArray(n, n, p)).to1DArray());
  let tmp = new Float64Array(n * n);
  for (let k = 0; k < s; k++) {
    matmul(r, r, n, tmp);
    [r, tmp] = [tmp, r];
  }
  return r;
}

/** The exact zero-order-hold discretisation of ẋ = A·x + W·u over one step (see `zohDiscretise`). */
export interface Discretised {
  /** e^{A·dt}, n×n row-major. */
  phi: Float64Array;
  /** ∫₀^dt e^{A·τ} dτ · W, n×m row-major. */
  gamma: Float64Array;
}

/**
 * Discretises ẋ = A·x + W·u exactly for inputs held constant over a step of `dt` seconds:
 * x(t + dt) = Φ·x(t) + Γ·u. Both blocks come from one exponential of the augmented matrix
 * [[A, W], [0, 0]]·dt = [[Φ, Γ], [0, I]] (Van Loan 1978), which needs no inverse of A and is
 * stable for any dt. `a` is n×n and `w` is n×m, row-major.
 */
export function zohDiscretise(a: Float64Array, w: Float64Array, n: number, m: number, dt: number): Discretised {
  const size = n + m;
  const aug = new Float64Array(size * size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) aug[i * size + j] = a[i * n + j]! * dt;
    for (let j = 0; j < m; j++) aug[i * size + n + j] = w[i * m + j]! * dt;
  }
  const e = expm(aug, size);
  const phi = new Float64Array(n * n);
  const gamma = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) phi[i * n + j] = e[i * size + j]!;
    for (let j = 0; j < m; j++) gamma[i * m + j] = e[i * size + n + j]!;
  }
  return { phi, gamma };
}
