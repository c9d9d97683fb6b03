import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { energyBalanceThrottlePolicy } from '../../src/policies/energy-balance-throttle.js';
import { energyBalancePolicy } from '../../src/policies/energy-balance.js';
import { hostPolicyNames, resolveHostPolicy } from '../../src/policies/index.js';
import { hostRun, thermalRun, total } from '../helpers/host-scenario.js';
import { hostContext, miniState } from '../helpers/replay-engine.js';

// Tiny half-life: profiles and demand equal the last tick's, so expected fractions are hand-computable.
const exact = { halflife_ms: '0.001' };

describe('energy-balance+throttle', () => {
  it('is registered under its name', async () => {
    expect(hostPolicyNames()).toEqual(expect.arrayContaining(['energy-balance', 'energy-balance+throttle']));
    expect((await resolveHostPolicy('energy-balance+throttle')).spec).toBe('energy-balance+throttle');
  });

  it('throttles the hot vCPU of a core near the limit in proportion, with hysteresis, and releases it', () => {
    // Core 0 holds a 10 W and a 2 W vCPU (30 % each), core 1 one 2 W vCPU; the flat thermal model
    // keeps whatever temperature the test sets. Limit 85 °C, margin 3: engage above 82 °C,
    // release below 80 °C; fraction 0.1 per °C above 80.
    const run = hostRun({ pcpus: 2, watts: [10, 2, 2], demand: [0.3, 0.3, 0.3], initial: [0, 0, 1], params: exact }, energyBalanceThrottlePolicy());
    const at = (celsius: number): number[] => {
      run.state.thermal.coreCelsius[0] = celsius;
      run.advance(1);
      return [...run.state.vcpuThrottle].map((f) => Math.round(f * 1e9) / 1e9);
    };
    run.advance(5);
    expect(at(81)).toEqual([0, 0, 0]); // below the engage point
    expect(at(83)).toEqual([0.3, 0, 0]); // engaged: 0.1 × (83 − 80); the 2 W vCPUs are not hot
    expect(at(81)).toEqual([0.1, 0, 0]); // still engaged between release and engage points
    expect(at(79.9)).toEqual([0, 0, 0]); // released
    expect(at(81)).toEqual([0, 0, 0]); // from below, 81 °C does not engage
    expect(at(95)).toEqual([0.9, 0, 0]); // capped at max_throttle
    expect(total(run.migrations)).toBe(0);
  });

  it('sheds a package power excess over power_limit_w from its hot vCPUs, with hysteresis', () => {
    // A 10 W and a 2 W vCPU, each wanting a whole pCPU: 12 W demanded against a 6 W limit
    // (release below 5.7 W). Only the 10 W vCPU is hot (above the 6 W mean); it gives up
    // (12 − 5.7) / 10 = 0.63 of its time. Demanded power, not throttled draw, drives the
    // controller, so the fraction holds steady instead of oscillating.
    const run = hostRun({ pcpus: 2, watts: [10, 2], demand: [1, 1], params: { ...exact, power_limit_w: '6' } }, energyBalanceThrottlePolicy());
    run.advance(20);
    expect(run.state.vcpuThrottle[0]).toBeCloseTo(0.63, 9);
    expect(run.state.vcpuThrottle[1]).toBe(0);
    // 3.8 W + 2 W = 5.8 W: under the limit but over the release point, so still engaged: 0.1 / 3.8.
    run.setWatts(0, 3.8);
    run.advance(5);
    expect(run.state.vcpuThrottle[0]).toBeCloseTo(0.1 / 3.8, 9);
    // 3 W + 2 W = 5 W: released.
    run.setWatts(0, 3);
    run.advance(5);
    expect(run.state.vcpuThrottle[0]).toBe(0);
    // Back to 5.8 W from below: not engaged.
    run.setWatts(0, 3.8);
    run.advance(5);
    expect(run.state.vcpuThrottle[0]).toBe(0);
  });

  it('migrates like energy-balance: the same decisions while no limit is near', () => {
    const sc = { pcpus: 2, watts: [10, 10, 2, 2], demand: [0.4, 0.4, 0.4, 0.4], initial: [0, 0, 1, 1], params: { interval_ms: '10' } };
    const plain = hostRun(sc, energyBalancePolicy());
    const throttled = hostRun(sc, energyBalanceThrottlePolicy());
    plain.advance(200);
    throttled.advance(200);
    expect([...throttled.state.vcpuPcpu]).toEqual([...plain.state.vcpuPcpu]);
    expect(throttled.migrations).toEqual(plain.migrations);
    expect(total(throttled.migrations)).toBe(2);
  });

  it('rejects out-of-range parameters', () => {
    const s = miniState({ pcpus: 1, vms: [1] });
    expect(() => energyBalanceThrottlePolicy().init(hostContext(s, { max_throttle: '1.5' }))).toThrow(PolicyError);
    expect(() => energyBalanceThrottlePolicy().init(hostContext(s, { power_limit_w: '0' }))).toThrow(PolicyError);
  });
});

describe('energy-balance+throttle through the engine with the RC thermal model', () => {
  // Two cores, each with a 20 W vCPU at 90 %: nothing to balance, so only preemption can help.
  // Unthrottled a core settles near 45 + 36 W / 10 W/K + 18 W × 0.41 K/W ≈ 56 °C.
  const sc = { pcpus: 2, watts: [20, 20], demand: [0.9, 0.9], limitC: 54 };

  it('keeps cores under the limit where migration cannot help, and releases below the release point', () => {
    const plain = thermalRun(sc, energyBalancePolicy());
    const throttled = thermalRun(sc, energyBalanceThrottlePolicy());
    expect(plain.peakC).toBeGreaterThan(55);
    expect(throttled.peakC).toBeLessThan(54);
    expect(throttled.migrations).toBe(0);

    const run = hostRun(sc, energyBalanceThrottlePolicy());
    run.state.thermal.coreCelsius.fill(53); // engaged: above 51 °C
    run.advance(1);
    expect(run.state.vcpuThrottle[0]).toBeCloseTo(0.4, 9); // 0.1 × (53 − 49)
    run.state.thermal.coreCelsius.fill(48); // below the 49 °C release point
    run.advance(1);
    expect([...run.state.vcpuThrottle]).toEqual([0, 0]);
  });
});
