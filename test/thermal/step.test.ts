import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/generate/rng.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import type { ThermalParams } from '../../src/thermal/rc-network.js';
import { ThermalStepper } from '../../src/thermal/step.js';

// A non-stiff single-core package, so the analytic curve has two visible time constants.
const slow: ThermalParams = {
  coreCapacitance: 0.5, coreToHeatsink: 2, coreToCore: 0.3, heatsinkCapacitance: 20, heatsinkToAmbient: 1, ambientCelsius: 25,
};

/**
 * Analytic step response of core + heatsink from ambient under P watts into the core.
 * A = [[−g₁/c₁, g₁/c₁], [g₁/c₂, −(g₁+g₂)/c₂]]; λ± are the roots of λ² − tr·λ + det with
 * tr = −g₁/c₁ − (g₁+g₂)/c₂, det = g₁g₂/(c₁c₂); an eigenvector of λ is (g₁/c₁, λ + g₁/c₁).
 * T(t) = T_ss + a₁e^{λ₁t}v₁ + a₂e^{λ₂t}v₂ with T_ss = (T_a + P/g₁ + P/g₂, T_a + P/g₂) and
 * a₁, a₂ solving a₁v₁ + a₂v₂ = T(0) − T_ss by Cramer's rule.
 */
function analytic(p: ThermalParams, watts: number, t: number): [number, number] {
  const { coreCapacitance: c1, heatsinkCapacitance: c2, coreToHeatsink: g1, heatsinkToAmbient: g2, ambientCelsius: ta } = p;
  const tr = -g1 / c1 - (g1 + g2) / c2;
  const det = (g1 * g2) / (c1 * c2);
  const root = Math.sqrt(tr * tr - 4 * det);
  const l1 = (tr + root) / 2;
  const l2 = (tr - root) / 2;
  const v1 = [g1 / c1, l1 + g1 / c1] as const;
  const v2 = [g1 / c1, l2 + g1 / c1] as const;
  const ss = [ta + watts / g1 + watts / g2, ta + watts / g2] as const;
  const d0 = [ta - ss[0], ta - ss[1]] as const;
  const d = v1[0] * v2[1] - v2[0] * v1[1];
  const a1 = (d0[0] * v2[1] - v2[0] * d0[1]) / d;
  const a2 = (v1[0] * d0[1] - d0[0] * v1[1]) / d;
  return [
    ss[0] + a1 * Math.exp(l1 * t) * v1[0] + a2 * Math.exp(l2 * t) * v2[0],
    ss[1] + a1 * Math.exp(l1 * t) * v1[1] + a2 * Math.exp(l2 * t) * v2[1],
  ];
}

/**
 * Runs `ticks` ticks of `s` next to the plain dense recurrence T' = Φ·T + Γ·P + γ on its own
 * `model` (the algorithm `step` had before it went sparse), with powers from `watts(tick, core)`
 * and `sinkWatts(tick, package)`; returns the largest |sparse − dense| at the end, °C.
 */
function sparseVsDense(s: ThermalStepper, ticks: number, watts: (tick: number, core: number) => number,
  sinkWatts: (tick: number, pkg: number) => number): number {
  const { nodes, phi, gamma, offset } = s.model;
  const n = nodes - 1;
  const packages = s.layout.packages;
  const x = Float64Array.from({ length: packages * nodes }, (_, k) => (k % nodes === n ? s.heatsinkCelsius[Math.floor(k / nodes)]! : s.coreCelsius[k - Math.floor(k / nodes)]!));
  const next = new Float64Array(nodes);
  const u = new Float64Array(packages * nodes);
  const coreW = new Float64Array(packages * n);
  const sinkW = new Float64Array(packages);
  for (let t = 0; t < ticks; t++) {
    for (let c = 0; c < packages * n; c++) coreW[c] = watts(t, c);
    for (let p = 0; p < packages; p++) sinkW[p] = sinkWatts(t, p);
    s.step(coreW, sinkW);
    for (let p = 0; p < packages; p++) {
      for (let k = 0; k < n; k++) u[p * nodes + k] = coreW[p * n + k]!;
      u[p * nodes + n] = sinkW[p]!;
      for (let i = 0; i < nodes; i++) {
        let v = offset[i]!;
        for (let j = 0; j < nodes; j++) v += phi[i * nodes + j]! * x[p * nodes + j]! + gamma[i * nodes + j]! * u[p * nodes + j]!;
        next[i] = v;
      }
      x.set(next, p * nodes);
    }
  }
  let worst = 0;
  for (let p = 0; p < packages; p++) {
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(s.coreCelsius[p * n + k]! - x[p * nodes + k]!));
    worst = Math.max(worst, Math.abs(s.heatsinkCelsius[p]! - x[p * nodes + n]!));
  }
  return worst;
}

describe('ThermalStepper', () => {
  it('1-core step response equals the analytic two-exponential curve to 1e-9 °C', () => {
    for (const [dt, steps] of [[0.01, 3000], [1, 100], [10, 20]] as const) {
      const s = new ThermalStepper(slow, { packages: 1, coresPerPackage: 1 }, dt);
      let worst = 0;
      for (let k = 1; k <= steps; k++) {
        s.step([10], [0]);
        const [core, sink] = analytic(slow, 10, k * dt);
        worst = Math.max(worst, Math.abs(s.coreCelsius[0]! - core), Math.abs(s.heatsinkCelsius[0]! - sink));
      }
      expect(worst).toBeLessThan(1e-9);
    }
  });

  it('is stable for 1 s and 10 s ticks on the stiff default network (1.7 ms core time constant)', () => {
    for (const dt of [1, 10]) {
      const s = new ThermalStepper(defaultThermalParams, { packages: 1, coresPerPackage: 4 }, dt);
      const phi = Matrix.from1DArray(5, 5, s.model.phi);
      const e = new EigenvalueDecomposition(phi);
      const radius = Math.max(...e.realEigenvalues.map((re, i) => Math.hypot(re, e.imaginaryEigenvalues[i]!)));
      expect(radius).toBeLessThan(1);
      // Heating from ambient under constant power never overshoots and never oscillates.
      let prev = Float64Array.from(s.coreCelsius);
      for (let k = 0; k < 200; k++) {
        s.step([20, 5, 0, 10], [15]);
        for (let i = 0; i < 4; i++) expect(s.coreCelsius[i]!).toBeGreaterThanOrEqual(prev[i]! - 1e-12);
        prev = Float64Array.from(s.coreCelsius);
      }
      expect(Number.isFinite(s.heatsinkCelsius[0]!)).toBe(true);
    }
  });

  it('ten 1 s ticks equal one 10 s tick (Φ(10) = Φ(1)¹⁰ with constant power)', () => {
    const a = new ThermalStepper(defaultThermalParams, { packages: 1, coresPerPackage: 3 }, 1);
    const b = new ThermalStepper(defaultThermalParams, { packages: 1, coresPerPackage: 3 }, 10);
    for (let k = 0; k < 10; k++) a.step([12, 0, 4], [8]);
    b.step([12, 0, 4], [8]);
    for (let i = 0; i < 3; i++) expect(Math.abs(a.coreCelsius[i]! - b.coreCelsius[i]!)).toBeLessThan(1e-9);
    expect(Math.abs(a.heatsinkCelsius[0]! - b.heatsinkCelsius[0]!)).toBeLessThan(1e-9);
  });

  it('conserves energy: steady state is T = T_amb + P·R_total', () => {
    // One core, 10 W: R_total = 1/g_ch + 1/g_ha = 0.5 + 1 K/W ⇒ core 25 + 15 = 40 °C, sink 35 °C.
    const one = new ThermalStepper(slow, { packages: 1, coresPerPackage: 1 }, 100);
    for (let k = 0; k < 200; k++) one.step([10], [0]);
    expect(one.coreCelsius[0]).toBeCloseTo(40, 9);
    expect(one.heatsinkCelsius[0]).toBeCloseTo(35, 9);

    // Four cores (5, 0, 12, 3 W) and 7 W into the sink: everything leaves through g_ha, so the
    // sink sits at 25 + 27/1 = 52 °C, and the heat from cores to the sink equals their 20 W.
    const four = new ThermalStepper(slow, { packages: 1, coresPerPackage: 4 }, 100);
    for (let k = 0; k < 200; k++) four.step([5, 0, 12, 3], [7]);
    const sink = four.heatsinkCelsius[0]!;
    expect(sink).toBeCloseTo(52, 9);
    const toSink = [...four.coreCelsius].reduce((s, t) => s + slow.coreToHeatsink * (t - sink), 0);
    expect(toSink).toBeCloseTo(20, 9);
    // The idle core is warmed only through its neighbours; the hottest core is the 12 W one.
    expect(four.coreCelsius[1]!).toBeGreaterThan(sink);
    expect(Math.max(...four.coreCelsius)).toBe(four.coreCelsius[2]);
  });

  it('settle() lands where long stepping does', () => {
    const a = new ThermalStepper(defaultThermalParams, { packages: 2, coresPerPackage: 3 }, 50);
    const b = new ThermalStepper(defaultThermalParams, { packages: 2, coresPerPackage: 3 }, 50);
    const cores = [3, 9, 1, 0, 0, 20];
    for (let k = 0; k < 100; k++) a.step(cores, [5, 2]);
    b.settle(cores, [5, 2]);
    for (let i = 0; i < 6; i++) expect(Math.abs(a.coreCelsius[i]! - b.coreCelsius[i]!)).toBeLessThan(1e-9);
    expect(Math.abs(a.heatsinkCelsius[1]! - b.heatsinkCelsius[1]!)).toBeLessThan(1e-9);
  });

  it('keeps packages apart: an unpowered package stays at ambient', () => {
    const s = new ThermalStepper(slow, { packages: 2, coresPerPackage: 2 }, 1);
    for (let k = 0; k < 50; k++) s.step([10, 10, 0, 0], [0, 0]);
    for (const t of [s.coreCelsius[2]!, s.coreCelsius[3]!, s.heatsinkCelsius[1]!]) expect(t).toBeCloseTo(25, 9);
    expect(s.coreCelsius[0]!).toBeGreaterThan(30);
  });

  it('reads only a band of Φ and Γ for 32 default cores at 1 ms: 268 band entries plus the sink column', () => {
    // Lateral coupling g_cc·dt/C = 0.015·1e-3/4.2e-3 = 3.57e-3 per ms, so Φ's residual at floorplan
    // distance d is ≈ e^{−g_ch·dt/C}·(3.57e-3)^d/d! = 0.55·…: 3.7e-12 at d = 4, 2.7e-15 at d = 5.
    // A core row's budget is 1e-12/(33 nodes · gain 2.7) ≈ 1.1e-14: both d = 5 entries (and beyond)
    // fit in it, a d = 4 one does not. So rows keep d ≤ 4: 9 entries inside, 5…8 at the ends
    // (24·9 + 2·(5+6+7+8) = 268); the heatsink row's core entries are all equal, nothing is left.
    const s = new ThermalStepper(defaultThermalParams, { packages: 2, coresPerPackage: 32 }, 0.001);
    expect(s.storedEntries).toBe(268 + 33);
    // Coupling as strong laterally as to the heatsink widens the band (graceful, not dense).
    const strong = new ThermalStepper({ ...defaultThermalParams, coreToCore: defaultThermalParams.coreToHeatsink }, { packages: 1, coresPerPackage: 32 }, 0.001);
    expect(strong.storedEntries).toBeGreaterThan(2 * s.storedEntries);
  });

  it('sums a package the same whether it is stepped in a pair or alone (bit for bit)', () => {
    // Packages 0 and 1 go through the paired kernel, package 2 alone; same powers, same bits.
    const s = new ThermalStepper(defaultThermalParams, { packages: 3, coresPerPackage: 6 }, 0.001);
    const perPackage = [12, 0, 3, 25, 7, 1];
    for (let t = 0; t < 500; t++) s.step([...perPackage, ...perPackage, ...perPackage].map((w) => w * (1 + (t % 7))), [9, 9, 9]);
    expect(s.coreCelsius[0]).toBeGreaterThan(defaultThermalParams.ambientCelsius + 1);
    for (const p of [1, 2]) {
      expect(Array.from(s.coreCelsius.subarray(6 * p, 6 * p + 6))).toEqual(Array.from(s.coreCelsius.subarray(0, 6)));
      expect(s.heatsinkCelsius[p]).toBe(s.heatsinkCelsius[0]);
    }
  });

  it('matches the dense step to 1e-9 °C over 100 000 ticks of a moving hot spot (default, 2 × 32 cores, 1 ms)', () => {
    const s = new ThermalStepper(defaultThermalParams, { packages: 2, coresPerPackage: 32 }, 0.001);
    s.settle(new Float64Array(64).fill(2), [20, 20]);
    // A 30 W hot spot walks one core every 50 ms; the other package idles at 2 W a core.
    const err = sparseVsDense(s, 100_000, (t, c) => (c === Math.floor(t / 50) % 32 ? 30 : 2), (t) => 20 + (t % 1000 < 500 ? 10 : 0));
    expect(err).toBeLessThan(1e-9);
    expect(Math.max(...s.coreCelsius.subarray(0, 32)) - Math.min(...s.coreCelsius.subarray(0, 32))).toBeGreaterThan(5);
  });

  it('matches the dense step to 1e-9 °C over 100 000 ticks when cores couple as strongly as to the sink', () => {
    const strong: ThermalParams = { ...defaultThermalParams, coreToCore: defaultThermalParams.coreToHeatsink };
    const s = new ThermalStepper(strong, { packages: 1, coresPerPackage: 32 }, 0.001);
    const err = sparseVsDense(s, 100_000, (t, c) => (c < 8 && t % 400 >= 200 ? 40 : 1), () => 15);
    expect(err).toBeLessThan(1e-9);
    expect(s.coreCelsius[0]! - s.coreCelsius[31]!).toBeGreaterThan(1);
  });

  it('matches the dense step to 1e-9 °C over 100 000 ticks of random powers, ticks and floorplans', () => {
    const rng = new Rng(7, 'thermal-sparse-test');
    const random = (): number => rng.between(0, 25);
    // A 4 × 4 grid floorplan (neighbours across rows too) on the default network at 1 ms.
    const grid = Array.from({ length: 16 }, (_, k) => [[k, k + 1], [k, k + 4]] as [number, number][])
      .flat().filter(([a, b]) => b < 16 && !(b === a + 1 && b % 4 === 0));
    const g = new ThermalStepper(defaultThermalParams, { packages: 2, coresPerPackage: 16, neighbours: grid }, 0.001);
    expect(sparseVsDense(g, 100_000, random, random)).toBeLessThan(1e-9);
    // The generator's `large` host truth (3 J/K cores, 0.4 W/K lateral) at 0.5 s ticks.
    const large: ThermalParams = { coreCapacitance: 3, coreToHeatsink: 0.8, coreToCore: 0.4, heatsinkCapacitance: 400, heatsinkToAmbient: 2.5, ambientCelsius: 25 };
    const l = new ThermalStepper(large, { packages: 1, coresPerPackage: 16 }, 0.5);
    expect(l.storedEntries).toBeLessThan(17 * 17);
    expect(sparseVsDense(l, 100_000, random, random)).toBeLessThan(1e-9);
  });
});
