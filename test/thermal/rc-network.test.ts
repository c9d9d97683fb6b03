import { describe, expect, it } from 'vitest';
import { buildRcNetwork, rowNeighbours, steadyState, type ThermalParams } from '../../src/thermal/rc-network.js';

const p: ThermalParams = {
  coreCapacitance: 0.5, coreToHeatsink: 2, coreToCore: 0.3, heatsinkCapacitance: 20, heatsinkToAmbient: 1, ambientCelsius: 25,
};

describe('buildRcNetwork', () => {
  it('builds A = −C⁻¹G, B = C⁻¹ and the ambient term by hand for two cores', () => {
    // G = [[2.3, −0.3, −2], [−0.3, 2.3, −2], [−2, −2, 2 + 2 + 1]]; C = (0.5, 0.5, 20).
    const net = buildRcNetwork(p, 2);
    expect(net.nodes).toBe(3);
    expect([...net.a].map((v) => +v.toFixed(12))).toEqual([-4.6, 0.6, 4, 0.6, -4.6, 4, 0.1, 0.1, -0.25]);
    expect([...net.invCapacitance]).toEqual([2, 2, 0.05]);
    // c = g_ha·T_amb / C_hs = 1 · 25 / 20 on the heatsink row only.
    expect([...net.c]).toEqual([0, 0, 1.25]);
  });

  it('couples only the given neighbours', () => {
    expect(rowNeighbours(4)).toEqual([[0, 1], [1, 2], [2, 3]]);
    const net = buildRcNetwork(p, 3, [[0, 2]]);
    expect(Math.abs(net.a[0 * 4 + 1]!)).toBe(0);
    expect(net.a[0 * 4 + 2]).toBeCloseTo(0.6, 12);
  });
});

describe('steadyState', () => {
  it('solves G·T = P + g_ha·T_amb by hand', () => {
    // 5 W in total ⇒ sink 25 + 5/1 = 30 °C. With uᵢ = Tᵢ − 30: 2.3u₀ − 0.3u₁ = 4 and
    // −0.3u₀ + 2.3u₁ = 0 ⇒ u₁ = 3u₀/23, u₀(2.3 − 0.09/2.3) = 4 ⇒ u₀ = 23/13, u₁ = 3/13.
    const t = steadyState(buildRcNetwork(p, 2), [4, 0, 1]);
    expect(t[0]).toBeCloseTo(30 + 23 / 13, 12);
    expect(t[1]).toBeCloseTo(30 + 3 / 13, 12);
    expect(t[2]).toBeCloseTo(30, 12);
  });
});
