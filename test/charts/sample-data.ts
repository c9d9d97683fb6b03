import type { CalibrationFitInput } from '../../src/charts/calibration-fit.js';
import type { ImbalanceCdfInput } from '../../src/charts/imbalance-cdf.js';
import type { OverheadTradeoffInput } from '../../src/charts/overhead-tradeoff.js';
import type { PolicyComparisonInput } from '../../src/charts/policy-comparison.js';
import type { TemperatureHeatmapInput } from '../../src/charts/temperature-heatmap.js';
import type { VmEnergyInput } from '../../src/charts/vm-energy.js';
import type { WeightsInput } from '../../src/charts/weights.js';

/** Park–Miller generator: the same "noise" on every run and machine. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** `n` one-second intervals of a fit with ±3 W of residual. */
export function calibrationSample(n = 24): CalibrationFitInput {
  const rnd = lcg(7);
  const t: number[] = [];
  const measuredW: number[] = [];
  const predictedW: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = 45 + 25 * Math.sin((i * 10) / n) + 8 * rnd();
    t.push(i + 0.5);
    measuredW.push(w);
    predictedW.push(w + (rnd() - 0.5) * 6);
  }
  return { t, measuredW, predictedW };
}

export function weightsSample(): WeightsInput {
  return {
    events: ['instructions', 'cycles', 'LLC-load-misses', 'branch-misses', 'mem-stores'],
    weightsJ: [0.35e-9, 0.21e-9, 9.8e-9, 2.4e-9, 1.1e-9],
    ciLowJ: [0.31e-9, 0.15e-9, 8.1e-9, 1.2e-9, 0.4e-9],
    ciHighJ: [0.39e-9, 0.27e-9, 11.6e-9, 3.5e-9, 1.9e-9],
  };
}

export function vmEnergySample(): VmEnergyInput {
  return {
    rows: [
      { vm: 'web', component: 'dynamic', joules: 5400 },
      { vm: 'web', component: 'io-emulation', joules: 1300 },
      { vm: 'web', component: 'static', joules: 2100 },
      { vm: 'db', component: 'dynamic', joules: 7900 },
      { vm: 'db', component: 'io-emulation', joules: 2600 },
      { vm: 'db', component: 'static', joules: 2100 },
      { vm: 'batch', component: 'dynamic', joules: 11200 },
      { vm: 'batch', component: 'io-emulation', joules: 150 },
      { vm: 'batch', component: 'static', joules: 2100 },
    ],
  };
}

/** `cores` cores read every second for `seconds` s; cores 2 and 3 run hot in the middle. */
export function heatmapSample(cores = 4, seconds = 30): TemperatureHeatmapInput {
  const rnd = lcg(11);
  const t: number[] = [];
  const core: string[] = [];
  const celsius: number[] = [];
  for (let s = 0; s < seconds; s++) {
    for (let c = 0; c < cores; c++) {
      t.push(s);
      core.push(`S0-C${c}`);
      const hot = (c === 2 || c === 3) && s > seconds / 4 && s < (seconds * 3) / 4 ? 25 : 0;
      celsius.push(45 + 8 * Math.sin((s * 6) / seconds) + hot + 2 * rnd());
    }
  }
  return { t, core, celsius };
}

/** Three policies, `ticks` ticks each. */
export function imbalanceCdfSample(ticks = 30): ImbalanceCdfInput {
  const rnd = lcg(5);
  const draw = (scale: number, offset: number) => Array.from({ length: ticks }, () => offset + scale * -Math.log(1 - rnd()));
  return {
    policies: [
      { policy: 'round-robin', imbalanceC: draw(6, 2) },
      { policy: 'thermal-aware', imbalanceC: draw(2.5, 1) },
      { policy: 'energy-budget', imbalanceC: draw(4, 1.5) },
    ],
  };
}

export function policyComparisonSample(): PolicyComparisonInput {
  const rows: PolicyComparisonInput['rows'] = [];
  const metrics = [
    { metric: 'Mean imbalance', unit: '°C', values: [8.1, 3.4, 5.2] },
    { metric: 'Energy', unit: 'kJ', values: [41.2, 43.9, 38.7] },
    { metric: 'Migrations', unit: '1/s', values: [0.4, 6.2, 2.1] },
  ];
  const policies = ['round-robin', 'thermal-aware', 'energy-budget'];
  for (const m of metrics) {
    m.values.forEach((v, i) => rows.push({ policy: policies[i]!, metric: m.metric, unit: m.unit, mean: v, ciLow: v * 0.9, ciHigh: v * 1.12 }));
  }
  return { rows };
}

export function overheadTradeoffSample(): OverheadTradeoffInput {
  return {
    overheadLabel: 'Migrations',
    overheadUnit: '1/s',
    points: [
      { policy: 'round-robin', overhead: 0.4, overheadLow: 0.3, overheadHigh: 0.5, imbalanceC: 8.1, imbalanceLowC: 7.5, imbalanceHighC: 8.8 },
      { policy: 'thermal-aware', overhead: 6.2, overheadLow: 5.6, overheadHigh: 6.9, imbalanceC: 3.4, imbalanceLowC: 3.0, imbalanceHighC: 3.9 },
      { policy: 'energy-budget', overhead: 2.1, overheadLow: 1.7, overheadHigh: 2.6, imbalanceC: 5.2, imbalanceLowC: 4.6, imbalanceHighC: 5.7 },
      { policy: 'hot-unplug', overhead: 1.2, overheadLow: 0.9, overheadHigh: 1.6, imbalanceC: 6.0, imbalanceLowC: 5.1, imbalanceHighC: 6.8 },
    ],
  };
}

/** Every kind with its sample input. */
export const samples: Record<string, () => unknown> = {
  'calibration-fit': calibrationSample,
  weights: weightsSample,
  'vm-energy': vmEnergySample,
  'temperature-heatmap': heatmapSample,
  'imbalance-cdf': imbalanceCdfSample,
  'policy-comparison': policyComparisonSample,
  'overhead-tradeoff': overheadTradeoffSample,
};
