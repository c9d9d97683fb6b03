import { describe, expect, it } from 'vitest';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import { advanceModal, modalForm, modalInput, modalToNodes } from '../../src/thermal/modal.js';
import { buildRcNetwork, steadyState } from '../../src/thermal/rc-network.js';
import { discretise } from '../../src/thermal/step.js';

describe('modal form', () => {
  const net = buildRcNetwork({ ...defaultThermalParams, coreToCore: 0.4 }, 5);
  const m = modalForm(net);
  const watts = [8, 0, 3, 15, 1, 6];

  it('has the real, negative eigenvalues of A (trace check: Σλ = tr A)', () => {
    let trace = 0;
    for (let i = 0; i < 6; i++) trace += net.a[i * 6 + i]!;
    expect(m.lambda.every((l) => l < 0)).toBe(true);
    expect(m.lambda.reduce((s, l) => s + l, 0) / trace).toBeCloseTo(1, 12);
  });

  it('advances exactly like the expm discretisation, for stiff and slow steps', () => {
    for (const dt of [1e-4, 0.01, 1, 30]) {
      const d = discretise(net, dt);
      const x0 = [60, 55, 70, 48, 52, 47];
      const want = new Float64Array(6);
      for (let i = 0; i < 6; i++) {
        want[i] = d.offset[i]!;
        for (let j = 0; j < 6; j++) want[i]! += d.phi[i * 6 + j]! * x0[j]! + d.gamma[i * 6 + j]! * watts[j]!;
      }
      // z₀ = (C^-½Q)⁻¹·x₀ = Qᵀ·C^½·x₀ = fromWatts·C·x₀, since fromWatts = Qᵀ·C^-½.
      const cx = x0.map((x, i) => x / net.invCapacitance[i]!);
      const z = modalInput({ ...m, ambientInput: new Float64Array(6) }, cx, new Float64Array(6));
      advanceModal(m, z, modalInput(m, watts, new Float64Array(6)), dt);
      const got = modalToNodes(m, z, new Float64Array(6));
      for (let i = 0; i < 6; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-9);
    }
  });

  it('puts the steady state at z = −v/λ', () => {
    const v = modalInput(m, watts, new Float64Array(6));
    const z = v.map((vk, k) => -vk / m.lambda[k]!);
    const got = modalToNodes(m, z, new Float64Array(6));
    const want = steadyState(net, watts);
    for (let i = 0; i < 6; i++) expect(got[i]).toBeCloseTo(want[i]!, 9);
  });
});
