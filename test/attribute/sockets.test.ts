import { describe, expect, it } from 'vitest';
import { cpuMix } from '../../src/attribute/clock-mix.js';
import { socketClock, splitStatic, staticUnits } from '../../src/attribute/sockets.js';
import { dynamicJoules } from '../../src/attribute/vm-dynamic.js';
import type { ModelFile } from '../../src/model/model-file.js';
import { truthModel } from '../helpers/truth-model.js';

const f = (...x: number[]): Float64Array => Float64Array.from(x);
const list = (a: Float64Array | undefined): number[] => Array.from(a ?? []).map((x) => +x.toFixed(12));

/**
 * A per-socket model with two clock bands: 10 W static and 1e-9 J/cycle at 2400 MHz, 6 W and
 * 0.5e-9 J/cycle at 1800 MHz. Socket 0 (CPUs 0, 1) runs at 2400 MHz; socket 1 (CPUs 2, 3) at
 * 1800 MHz, CPU 3's second reading missing. Two intervals of 1 s and 2 s.
 */
function perSocketModel(): ModelFile {
  const model = truthModel({ weights: { package: { cycles: 1e-9 } }, static_watts: { total: { package: 10 } },
    scenario: { base_mhz: 2400, host: 'h' }, frequency_changes: [{ mhz: 1800, weight_scale: 0.5 }] }, 'package');
  model.frequency!.bands![1]!.staticWatts = 6;
  return { ...model, scope: 'socket' };
}
const clock = {
  perCpu: new Map([[0, f(2400, 2400)], [1, f(2400, 2400)], [2, f(1800, 1800)], [3, f(1800, NaN)], [4, f(2400, 1800)]]),
  mean: f(2200, 2000), // nearest bands: 2400, then 1800
};
const cpuSocket = [0, 0, 1, 1];
const dt = f(1, 2);

describe('a per-socket model\'s static power: once per socket', () => {
  it('with the CPU → socket map: each socket at the band of its own clock', () => {
    const units = staticUnits(perSocketModel(), clock, dt, 2, cpuSocket);
    expect(units.map((u) => u.cpus)).toEqual([[0, 1], [2, 3]]);
    expect(list(units[0]!.joules)).toEqual([10, 20]); // 10 W × 1 s, 10 W × 2 s
    expect(list(units[1]!.joules)).toEqual([6, 12]); // 6 W × 1 s, 6 W × 2 s
  });

  it('without the map: the energy trace\'s socket count, each at the machine\'s mean clock', () => {
    const [unit, ...rest] = staticUnits(perSocketModel(), clock, dt, 2, undefined);
    expect(rest).toEqual([]);
    expect(unit!.cpus).toBeNull();
    expect(list(unit!.joules)).toEqual([20, 24]); // 2 × 10 W × 1 s; 2 × 6 W × 2 s
  });

  it('a machine-scope model: its static power once', () => {
    const units = staticUnits({ ...perSocketModel(), scope: 'host' }, clock, dt, 2, cpuSocket);
    expect(units.map((u) => [u.cpus, list(u.joules)])).toEqual([[null, [10, 12]]]);
  });

  it('refuses a per-socket model when neither the energy nor --cpu-socket gives the sockets', () => {
    expect(() => staticUnits(perSocketModel(), clock, dt, 0, undefined)).toThrow(expect.objectContaining({ code: 'attribute.socketCount' }));
  });
});

describe('a per-socket model\'s clock', () => {
  it('each CPU at its socket\'s mean (missing readings skipped); CPUs outside the map keep their own', () => {
    const c = socketClock({ ...clock, perCpu: new Map([...clock.perCpu].map(([k, v]) => [k, k === 1 ? f(2200, 2400) : v])) }, cpuSocket);
    expect(list(c.perCpu.get(0))).toEqual([2300, 2400]);
    expect(list(c.perCpu.get(1))).toEqual([2300, 2400]);
    expect(list(c.perCpu.get(3))).toEqual([1800, 1800]);
    expect(list(c.perCpu.get(4))).toEqual([2400, 1800]);
    // 1e9 cycles on CPU 3 in each interval: its own clock is unknown in the second, its socket's is 1800 MHz
    const counts = new Map([['cycles', f(1e9, 1e9)]]);
    expect(list(dynamicJoules(perSocketModel(), counts, cpuMix(c, 3), 2))).toEqual([0.5, 0.5]);
  });
});

describe('the idle split per socket', () => {
  // vCPU a/vcpu0 ran 1 s on CPU 0 in each interval and 2 s on CPU 2 in the second; b/vcpu0 0.5 s on CPU 3 in the first
  const placement = new Map([
    ['a/vcpu0', new Map([[0, f(1, 1)], [2, f(0, 2)]])],
    ['b/vcpu0', new Map([[3, f(0.5, 0)]])],
  ]);
  const cpuSeconds = new Map([['a', f(1, 3)], ['b', f(0.5, 0)]]);
  const units = staticUnits(perSocketModel(), clock, dt, 2, cpuSocket);

  it('residency: a VM\'s share of each socket\'s static energy by its CPU time on that socket', () => {
    const s = splitStatic('residency', units, ['a', 'b'], placement, cpuSeconds, 4, dt);
    // socket 0: a 1/(2×1) of 10 J, then 1/(2×2) of 20 J → 5, 5; socket 1: a 2/(2×2) of 12 J → 0, 6; b 0.5/2 of 6 J → 1.5, 0
    expect(list(s.perVm.get('a'))).toEqual([5, 11]);
    expect(list(s.perVm.get('b'))).toEqual([1.5, 0]);
    expect(list(s.unassigned)).toEqual([9.5, 21]); // (10 + 6, 20 + 12) − the VMs'
    // pooled over the machine instead, a's 3 s in the second interval would pay the machine's mean: 32 J × 3/8
    const pooled = splitStatic('residency', [{ joules: f(16, 32), cpus: null }], ['a', 'b'], placement, cpuSeconds, 4, dt);
    expect(list(pooled.perVm.get('a'))).toEqual([4, 12]);
  });

  it('equal and none: all to the VMs in equal parts, or none', () => {
    const equal = splitStatic('equal', units, ['a', 'b'], placement, cpuSeconds, 4, dt);
    expect(list(equal.perVm.get('a'))).toEqual([8, 16]);
    expect(list(equal.unassigned)).toEqual([0, 0]);
    expect(list(splitStatic('none', units, ['a', 'b'], placement, cpuSeconds, 4, dt).unassigned)).toEqual([16, 32]);
  });
});
