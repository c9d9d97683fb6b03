import { EigenvalueDecomposition, LuDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { expm, zohDiscretise } from '../../src/thermal/expm.js';

const f64 = (rows: number[][]): Float64Array => Float64Array.from(rows.flat());

/** Largest |a − b| over entries, relative to the largest |b|. */
function relErr(a: Float64Array, b: Float64Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

describe('expm', () => {
  it('1×1: e^a for small, large and negative a', () => {
    for (const a of [0, 1e-9, 0.5, -3, 10, -700, 40]) {
      // Each of the up to 8 squarings may add a rounding error, hence 1e-12 rather than 1e-16.
      expect(Math.abs(expm(f64([[a]]), 1)[0]! / Math.exp(a) - 1)).toBeLessThan(1e-12);
    }
  });

  it('nilpotent 2×2: e^[[0,1],[0,0]] = [[1,1],[0,1]] exactly', () => {
    expect([...expm(f64([[0, 1], [0, 0]]), 2)]).toEqual([1, 1, 0, 1]);
  });

  it('rotation generator: e^[[0,−θ],[θ,0]] = [[cos θ, −sin θ],[sin θ, cos θ]]', () => {
    const th = 2.5;
    const e = expm(f64([[0, -th], [th, 0]]), 2);
    expect(relErr(e, f64([[Math.cos(th), -Math.sin(th)], [Math.sin(th), Math.cos(th)]]))).toBeLessThan(1e-14);
  });

  it('Moler & Van Loan\'s [[−49, 24], [−64, 31]] (eigenvalues −1, −17)', () => {
    // A = V·diag(−1, −17)·V⁻¹ with V = [[1, 3], [2, 4]], V⁻¹ = [[−2, 1.5], [1, −0.5]], so
    // e^A = [[−2e₁ + 3e₁₇, 1.5e₁ − 1.5e₁₇], [−4e₁ + 4e₁₇, 3e₁ − 2e₁₇]] with eₖ = e^−k.
    const e1 = Math.exp(-1);
    const e17 = Math.exp(-17);
    const want = f64([[-2 * e1 + 3 * e17, 1.5 * e1 - 1.5 * e17], [-4 * e1 + 4 * e17, 3 * e1 - 2 * e17]]);
    expect(relErr(expm(f64([[-49, 24], [-64, 31]]), 2), want)).toBeLessThan(1e-12);
  });

  it('stiff symmetric matrices agree with the eigendecomposition', () => {
    // Q·diag(λ)·Qᵀ with eigenvalues spread over 1e-2 … 1e4 s⁻¹, like a thermal network with
    // millisecond cores and a slow heatsink; Q orthonormal from a symmetric matrix's eigenvectors.
    const n = 6;
    const m = Matrix.from1DArray(n, n, Array.from({ length: n * n }, (_, k) => Math.sin(k * 1.7 + 0.3)));
    const q = new EigenvalueDecomposition(m.add(m.transpose())).eigenvectorMatrix;
    const lambdas = [-1e4, -3e3, -50, -2, -0.3, -1e-2];
    const a = q.mmul(Matrix.diag(lambdas)).mmul(q.transpose());
    const want = Float64Array.from(q.mmul(Matrix.diag(lambdas.map(Math.exp))).mmul(q.transpose()).to1DArray());
    expect(relErr(expm(Float64Array.from(a.to1DArray()), n), want)).toBeLessThan(1e-10);
  });

  it('e^A · e^−A = I', () => {
    const a = f64([[0.3, -1.2, 0.5], [2.0, -0.7, 0.1], [-0.4, 0.9, 1.5]]);
    const e = Matrix.from1DArray(3, 3, expm(a, 3));
    const inv = Matrix.from1DArray(3, 3, expm(a.map((v) => -v), 3));
    expect(relErr(Float64Array.from(e.mmul(inv).to1DArray()), f64([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))).toBeLessThan(1e-13);
  });
});

describe('zohDiscretise', () => {
  it('1×1: ẋ = −k·x + u gives Φ = e^{−k·dt}, Γ = (1 − e^{−k·dt})/k', () => {
    const k = 0.7;
    for (const dt of [1e-3, 1, 100]) {
      const { phi, gamma } = zohDiscretise(f64([[-k]]), f64([[1]]), 1, 1, dt);
      expect(phi[0]).toBeCloseTo(Math.exp(-k * dt), 14);
      expect(gamma[0]! / ((1 - Math.exp(-k * dt)) / k)).toBeCloseTo(1, 13);
    }
  });

  it('2×2 with two inputs: Γ = A⁻¹(Φ − I)·W', () => {
    const a = Matrix.from1DArray(2, 2, [-3, 1, 2, -4]);
    const w = Matrix.from1DArray(2, 2, [1, 0.5, 0, 2]);
    const dt = 0.8;
    const { phi, gamma } = zohDiscretise(Float64Array.from(a.to1DArray()), Float64Array.from(w.to1DArray()), 2, 2, dt);
    const gammaWant = Float64Array.from(
      new LuDecomposition(a).solve(Matrix.from1DArray(2, 2, phi).sub(Matrix.eye(2)).mmul(w)).to1DArray());
    expect(relErr(gamma, gammaWant)).toBeLessThan(1e-13);
  });
});
