import { describe, expect, it } from 'vitest';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { buildRcNetwork, type ThermalParams } from '../../src/thermal/rc-network.js';
import { sparsify, type SparseNetwork } from '../../src/thermal/sparse-network.js';
import { discretise, type DiscreteNetwork } from '../../src/thermal/step.js';

/** Row i, core column j of Φ (or Γ) as the sparse form holds it: shift plus stored residual, if any. */
function held(s: SparseNetwork, which: 'phi' | 'gamma', i: number, j: number): number {
  const shift = which === 'phi' ? s.phiShift[i]! : s.gammaShift[i]!;
  const e = s.rowStart[i]! + j - s.firstCore[i]!;
  return e >= s.rowStart[i]! && e < s.rowStart[i + 1]! ? shift + s[which][e]! : shift;
}

/**
 * Entries a row must store when only exact zeros may go: from its first to its last core column
 * whose Φ or Γ entry differs from the row's shift, summed over rows.
 */
function nonzeroSpans(d: DiscreteNetwork, s: SparseNetwork): number {
  const n = d.nodes - 1;
  let count = 0;
  for (let i = 0; i < d.nodes; i++) {
    const differs = Array.from({ length: n }, (_, j) => d.phi[i * d.nodes + j] !== s.phiShift[i] || d.gamma[i * d.nodes + j] !== s.gammaShift[i]);
    const first = differs.indexOf(true);
    if (first >= 0) count += differs.lastIndexOf(true) - first + 1;
  }
  return count;
}

describe('sparsify', () => {
  it('with nothing to spend holds Φ, Γ, γ and the heatsink column exactly (to the shift’s rounding)', () => {
    const d = discretise(buildRcNetwork(defaultThermalParams, 8), 0.001);
    const s = sparsify(d, 0);
    expect(s.phi.length).toBe(nonzeroSpans(d, s));
    for (let i = 0; i < 9; i++) {
      for (let j = 0; j < 8; j++) {
        expect(Math.abs(held(s, 'phi', i, j) - d.phi[i * 9 + j]!)).toBeLessThanOrEqual(1e-16 * d.phi[i * 9 + j]!);
        expect(Math.abs(held(s, 'gamma', i, j) - d.gamma[i * 9 + j]!)).toBeLessThanOrEqual(1e-16 * d.gamma[i * 9 + j]!);
      }
      expect(s.phiSink[i]).toBe(d.phi[i * 9 + 8]);
      expect(s.gammaSink[i]).toBe(d.gamma[i * 9 + 8]);
      expect(s.offset[i]).toBe(d.offset[i]);
    }
  });

  it('shifts every core row by the far-field value the cores’ mean–heatsink pair predicts', () => {
    // Lateral conduction leaves the cores' mean alone, so mean m and heatsink h follow
    // M = [[−g/C, g/C], [n·g/C_hs, −(n·g + g_ha)/C_hs]]; Φ's core block is a band plus
    // (e^{M·dt}₀₀ − e^{−g·dt/C})/n in every entry. e^{M·dt} by Sylvester's formula:
    // e^{Mt} = (λ₁e^{λ₂t} − λ₂e^{λ₁t})/(λ₁ − λ₂)·I + (e^{λ₁t} − e^{λ₂t})/(λ₁ − λ₂)·M.
    const p: ThermalParams = defaultThermalParams;
    const n = 32;
    const dt = 0.001;
    const g = p.coreToHeatsink;
    const m00 = -g / p.coreCapacitance;
    const m11 = -(n * g + p.heatsinkToAmbient) / p.heatsinkCapacitance;
    const det = m00 * m11 - (g / p.coreCapacitance) * (n * g / p.heatsinkCapacitance);
    const root = Math.sqrt(((m00 + m11) / 2) ** 2 - det);
    const l1 = (m00 + m11) / 2 + root;
    const l2 = (m00 + m11) / 2 - root;
    const e00 = ((l1 * Math.exp(l2 * dt) - l2 * Math.exp(l1 * dt)) + (Math.exp(l1 * dt) - Math.exp(l2 * dt)) * m00) / (l1 - l2);
    const farField = (e00 - Math.exp(m00 * dt)) / n;
    const s = sparsify(discretise(buildRcNetwork(p, n), dt));
    for (let i = 0; i < n; i++) expect(Math.abs(s.phiShift[i]! / farField - 1)).toBeLessThan(1e-9);
    // The heatsink row's core entries are all that one value: nothing of it is left to store.
    expect(s.rowStart[n + 1]! - s.rowStart[n]!).toBe(0);
  });

  it('drops only exact zeros when errors could pile up without bound (no path to ambient)', () => {
    const d = discretise(buildRcNetwork({ ...defaultThermalParams, heatsinkToAmbient: 0 }, 16), 0.001);
    const s = sparsify(d);
    expect(s.phi.length).toBe(nonzeroSpans(d, s));
    // …whereas the same network with its path to ambient keeps only the band.
    expect(sparsify(discretise(buildRcNetwork(defaultThermalParams, 16), 0.001)).phi.length).toBeLessThan(s.phi.length / 2);
  });
});
