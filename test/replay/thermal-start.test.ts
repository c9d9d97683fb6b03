import { describe, expect, it } from 'vitest';
import { applyStart, recordedStart } from '../../src/replay/thermal-start.js';
import { defaultThermalParams } from '../../src/thermal/defaults.js';
import type { PackageSeries } from '../../src/thermal/fit-series.js';
import { ThermalStepper } from '../../src/thermal/step.js';

/**
 * One 2-core package recorded for 30 s at 1 s intervals, started `offset` °C above its first
 * interval's steady state on every node; readings are the exact model temperatures.
 */
function recording(socket: number, offset: number): { pkg: PackageSeries; start: number[] } {
  const n = 2;
  const m = 30;
  const coreWatts = Float64Array.from({ length: m * n }, (_, j) => (j % n === 0 ? 12 : 3) + (j % 7) + socket);
  const heatsinkWatts = new Float64Array(m).fill(5);
  const pkg: PackageSeries = {
    socket, cores: [`S${socket}-C0`, `S${socket}-C1`], t0: Float64Array.from({ length: m }, (_, k) => k),
    t1: Float64Array.from({ length: m }, (_, k) => k + 1), coreWatts, heatsinkWatts, celsius: new Float64Array(m * n),
  };
  const s = new ThermalStepper(defaultThermalParams, { packages: 1, coresPerPackage: n }, 1);
  s.settle(coreWatts.subarray(0, n), heatsinkWatts.subarray(0, 1));
  const start = [...s.coreCelsius, ...s.heatsinkCelsius].map((t) => t + offset);
  s.coreCelsius.set(start.slice(0, n));
  s.heatsinkCelsius[0] = start[n]!;
  for (let k = 0; k < m; k++) {
    s.step(coreWatts.subarray(k * n, k * n + n), heatsinkWatts.subarray(k, k + 1));
    pkg.celsius.set(s.coreCelsius, k * n);
  }
  return { pkg, start };
}

describe('recordedStart', () => {
  it('finds where each package started from its readings (7 °C and −4 °C off the steady state)', () => {
    const a = recording(0, 7);
    const b = recording(1, -4);
    const starts = recordedStart(defaultThermalParams, { packages: [a.pkg, b.pkg], notes: [] });
    expect(starts.map((s) => [s.socket, s.cores])).toEqual([[0, ['S0-C0', 'S0-C1']], [1, ['S1-C0', 'S1-C1']]]);
    starts.forEach((s, p) => {
      const want = [a, b][p]!.start;
      s.coreCelsius.forEach((t, i) => expect(t).toBeCloseTo(want[i]!, 6));
      expect(s.heatsinkCelsius).toBeCloseTo(want[2]!, 6);
    });
  });
});

describe('applyStart', () => {
  it('sets the packages named, by core name; an unnamed core takes its package\'s mean, others stay', () => {
    const s = new ThermalStepper(defaultThermalParams, { packages: 2, coresPerPackage: 3 }, 0.001);
    const names = ['S0-C0', 'S0-C1', 'S0-C2', 'S1-C0', 'S1-C4', 'S1-C8'];
    applyStart(s, names, 3, [
      { socket: 1, cores: ['S1-C8', 'S1-C0'], coreCelsius: Float64Array.of(60, 50), heatsinkCelsius: 40 },
      // A socket the host does not have is left out.
      { socket: 2, cores: ['S2-C0'], coreCelsius: Float64Array.of(99), heatsinkCelsius: 99 },
    ]);
    const ambient = defaultThermalParams.ambientCelsius;
    expect([...s.coreCelsius]).toEqual([ambient, ambient, ambient, 50, 55, 60]);
    expect([...s.heatsinkCelsius]).toEqual([ambient, 40]);
  });
});
