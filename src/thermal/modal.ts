import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { RcNetwork } from './rc-network.js';

/**
 * An RC network in modal coordinates. A = −C⁻¹G is similar to the symmetric S = C^½·A·C^-½, so
 * S = Q·Λ·Qᵀ with real λ < 0 and z = Qᵀ·C^½·T decouples: ż = Λz + Qᵀ·C^½·(B·P + c). One
 * eigendecomposition then advances any interval length exactly in O(n²), which is what the
 * fit needs: it re-simulates every recorded interval (each of its own length) per trial.
 */
export interface ModalNetwork {
  nodes: number;
  /** Eigenvalues of A, 1/s, all negative. */
  lambda: Float64Array;
  /** C^-½·Q, nodes × nodes row-major: T = toNodes · z. */
  toNodes: Float64Array;
  /** Qᵀ·C^½·B = Qᵀ·C^-½, nodes × nodes row-major: maps node powers (W) to modal inputs. */
  fromWatts: Float64Array;
  /** Qᵀ·C^½·c: the ambient's constant modal input. */
  ambientInput: Float64Array;
}

/** Decomposes `net` once; see `ModalNetwork`. */
export function modalForm(net: RcNetwork): ModalNetwork {
  const n = net.nodes;
  const sqrtC = Float64Array.from(net.invCapacitance, (b) => 1 / Math.sqrt(b));
  const s = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) s.set(i, j, net.a[i * n + j]! * sqrtC[i]! / sqrtC[j]!);
  }
  const evd = new EigenvalueDecomposition(s, { assumeSymmetric: true });
  const q = evd.eigenvectorMatrix;
  const lambda = Float64Array.from(evd.realEigenvalues);
  const toNodes = new Float64Array(n * n);
  const fromWatts = new Float64Array(n * n);
  const ambientInput = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      toNodes[i * n + k] = q.get(i, k) / sqrtC[i]!;
      // Row k of Qᵀ·C^½·B: B = C⁻¹ is diagonal, so column i scales by C_i^-½.
      fromWatts[k * n + i] = q.get(i, k) / sqrtC[i]!;
      ambientInput[k]! += q.get(i, k) * sqrtC[i]! * net.c[i]!;
    }
  }
  return { nodes: n, lambda, toNodes, fromWatts, ambientInput };
}

/** The modal input v = Qᵀ·C^½·(B·P + c) for node powers `watts` (W), into `out`. */
export function modalInput(m: ModalNetwork, watts: ArrayLike<number>, out: Float64Array): Float64Array {
  const n = m.nodes;
  for (let k = 0; k < n; k++) {
    let v = m.ambientInput[k]!;
    for (let i = 0; i < n; i++) v += m.fromWatts[k * n + i]! * watts[i]!;
    out[k] = v;
  }
  return out;
}

/** Advances modal state `z` in place by `dt` s under constant modal input `v`: exact ZOH. */
export function advanceModal(m: ModalNetwork, z: Float64Array, v: Float64Array, dt: number): void {
  for (let k = 0; k < m.nodes; k++) {
    const l = m.lambda[k]!;
    // (e^{λdt} − 1)/λ through expm1 keeps full precision for slow modes and short steps.
    z[k] = Math.exp(l * dt) * z[k]! + (Math.expm1(l * dt) / l) * v[k]!;
  }
}

/** Node temperatures T = C^-½·Q·z (°C) into `out`. */
export function modalToNodes(m: ModalNetwork, z: Float64Array, out: Float64Array): Float64Array {
  const n = m.nodes;
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let k = 0; k < n; k++) t += m.toNodes[i * n + k]! * z[k]!;
    out[i] = t;
  }
  return out;
}
