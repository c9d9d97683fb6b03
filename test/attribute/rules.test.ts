import { describe, expect, it } from 'vitest';
import { keplerSplit, scaphandreSplit } from '../../src/attribute/baselines.js';
import { budgetCells, overruns } from '../../src/attribute/budgets.js';
import { addSeconds, clockMix, cpuMix } from '../../src/attribute/clock-mix.js';
import { closureGap, residual } from '../../src/attribute/closure.js';
import { spread } from '../../src/attribute/grid.js';
import { splitIdle } from '../../src/attribute/idle-split.js';
import { backendIoShare, directIoCounts, pooledIoShare } from '../../src/attribute/io-share.js';
import { virtualCounters } from '../../src/attribute/virtual-counters.js';
import { dynamicJoules, staticWattsAt } from '../../src/attribute/vm-dynamic.js';
import { truthModel } from '../helpers/truth-model.js';

const f = (...x: number[]): Float64Array => Float64Array.from(x);
const grid = { t0: f(0, 1, 2), t1: f(1, 2, 3) };
const dt = f(1, 1, 1);

describe('spread onto the grid', () => {
  it('splits a row by overlap and drops what lies outside', () => {
    const out = new Float64Array(3);
    spread(grid, 0.5, 2.5, 100, out); // 25 | 50 | 25
    spread(grid, 2.5, 4.5, 40, out); // 10 in [2,3], 30 outside
    expect(Array.from(out)).toEqual([25, 50, 35]);
  });
});

describe('dynamic energy through the model', () => {
  // weights 1e-9 J/cycle and 2e-9 J/instruction at 2400 MHz; ×0.5625 in the 1800 MHz band
  const truth = { weights: { package: { cycles: 1e-9, instructions: 2e-9 } }, static_watts: { total: { package: 10 } },
    scenario: { base_mhz: 2400, host: 'h' }, frequency_changes: [{ mhz: 1800, weight_scale: 0.5625 }] };
  const model = truthModel(truth, 'package');
  const none = f(NaN, NaN, NaN);
  it('uses the band nearest the clock, and pooled weights without one', () => {
    const counts = new Map([['cycles', f(1e9, 1e9, 1e9)], ['instructions', f(1e9, 0, 1e9)]]);
    const j = dynamicJoules(model, counts, cpuMix({ perCpu: new Map([[0, f(2400, 1850, NaN)]]), mean: none }, 0), 3);
    expect(j[0]).toBeCloseTo(3, 12); // 1 + 2
    expect(j[1]).toBeCloseTo(0.5625, 12); // 1 × 0.5625
    expect(j[2]).toBeCloseTo(3, 12); // NaN clock → pooled terms (the truth weights)
    expect(Array.from(dynamicJoules(model, counts, null, 3))).toEqual(Array.from(j).map((_, i) => (i === 1 ? 1 : 3)));
    expect(staticWattsAt(model, 1800)).toBe(10);
  });
  it('prices counts at the clocks of the CPUs they ran on, by time there; every CPU alike where none is known', () => {
    // CPU 0 at 2400 MHz, CPU 1 at 1800 MHz; the machine's mean serves only without per-CPU clocks
    const clock = { perCpu: new Map([[0, f(2400, 2400)], [1, f(1800, 1800)]]), mean: f(2100, 2100) };
    // ran 0.25 s on CPU 0 and 0.75 s on CPU 1, then nowhere recorded
    const mix = clockMix(clock, new Map([[0, f(0.25, 0)], [1, f(0.75, 0)]]));
    const j = dynamicJoules(model, new Map([['cycles', f(1e9, 1e9)]]), mix, 2);
    expect(j[0]).toBeCloseTo(0.25 * 1 + 0.75 * 0.5625, 12); // 0.671875 J
    expect(j[1]).toBeCloseTo((1 + 0.5625) / 2, 12); // either CPU alike: 0.78125 J
    const onlyMean = clockMix({ perCpu: new Map(), mean: f(1800, NaN) }, undefined);
    const byMean = dynamicJoules(model, new Map([['cycles', f(1e9, 1e9)]]), onlyMean, 2);
    expect(byMean[0]).toBeCloseTo(0.5625, 12); // the mean clock's band
    expect(byMean[1]).toBeCloseTo(1, 12); // no clock at all: the pooled weights
    // a VM's vCPUs: their seconds per CPU add up
    expect(Array.from(addSeconds([new Map([[0, f(1, 2)]]), new Map([[0, f(3, 4)], [1, f(5, 6)]])], 2).get(0)!)).toEqual([4, 6]);
  });
});

describe('I/O share', () => {
  it('direct: a VM\'s counts minus its vCPUs\' are its QEMU I/O threads\'', () => {
    // VM 5e9 | 3e9 cycles; vCPU 0 3e9 | 2e9, vCPU 1 1e9 | 1e9 (no instructions counted on vCPU 1)
    const io = directIoCounts(new Map([['cycles', f(5e9, 3e9)], ['instructions', f(4e9, 2e9)]]),
      [new Map([['cycles', f(3e9, 2e9)], ['instructions', f(2e9, 1e9)]]), new Map([['cycles', f(1e9, 1e9)]])], 2);
    expect(Array.from(io.get('cycles')!)).toEqual([1e9, 0]);
    expect(Array.from(io.get('instructions')!)).toEqual([2e9, 1e9]);
  });
  it('backend: dom0\'s backend threads for a guest through the model; no threads, nothing', () => {
    const model = truthModel({ weights: { package: { cycles: 1e-9, instructions: 2e-9 } }, static_watts: { total: { package: 10 } },
      scenario: { base_mhz: 2400, host: 'h' }, frequency_changes: [] }, 'package');
    // 1e9 cycles + 5e8 instructions → 1 + 1 J; an idle interval → 0 J
    const j = backendIoShare(model, new Map([['cycles', f(1e9, 0)], ['instructions', f(5e8, 0)]]), null, 2);
    expect(Array.from(j)).toEqual([2, 0]);
    expect(Array.from(backendIoShare(model, undefined, null, 2))).toEqual([0, 0]);
  });
  it('pooled: dom0 above its quiet baseline, split by ops', () => {
    // dom0 J: 0.2 (quiet) | 1.2 | 2.2; baseline 0.2 W; above it 1 J and 2 J
    // ops: a 10 | 30 ; b 30 | 10 → a gets 0.25 J then 1.5 J, b 0.75 J then 0.5 J
    const s = pooledIoShare(f(0.2, 1.2, 2.2), dt, new Map([['a', f(0, 10, 30)], ['b', f(0, 30, 10)]]));
    expect(s.baselineWatts).toBeCloseTo(0.2, 12);
    expect(s.baselineMeasured).toBe(true);
    expect(Array.from(s.perVm.get('a')!).map((x) => +x.toFixed(12))).toEqual([0, 0.25, 1.5]);
    expect(Array.from(s.perVm.get('b')!).map((x) => +x.toFixed(12))).toEqual([0, 0.75, 0.5]);
  });
  it('pooled without a quiet interval charges all of dom0', () => {
    const s = pooledIoShare(f(1, 2), f(1, 1), new Map([['a', f(1, 1)]]));
    expect(s.baselineMeasured).toBe(false);
    expect(Array.from(s.perVm.get('a')!)).toEqual([1, 2]);
  });
});

describe('idle split', () => {
  // 4 CPUs, 1 s intervals, 8 J static; VM a ran 2 pCPU-s then 1, b 1 then 0
  const sec = new Map([['a', f(2, 1)]]).set('b', f(1, 0));
  const st = f(8, 8);
  it('residency: share of the machine\'s CPU time', () => {
    const s = splitIdle('residency', st, ['a', 'b'], sec, 4, f(1, 1));
    expect(Array.from(s.perVm.get('a')!)).toEqual([4, 2]);
    expect(Array.from(s.perVm.get('b')!)).toEqual([2, 0]);
    expect(Array.from(s.unassigned)).toEqual([2, 6]);
  });
  it('equal: the same to each VM, none left', () => {
    const s = splitIdle('equal', st, ['a', 'b'], sec, 4, f(1, 1));
    expect(Array.from(s.perVm.get('b')!)).toEqual([4, 4]);
    expect(Array.from(s.unassigned)).toEqual([0, 0]);
  });
  it('none: all static stays idle', () => {
    const s = splitIdle('none', st, ['a', 'b'], sec, 4, f(1, 1));
    expect(Array.from(s.perVm.get('a')!)).toEqual([0, 0]);
    expect(Array.from(s.unassigned)).toEqual([8, 8]);
  });
});

describe('closure', () => {
  it('the residual is what the parts leave of the measurement', () => {
    const parts = [f(3, 4), f(1, 1), f(5, 5)];
    const r = residual(f(10, 9), parts);
    expect(Array.from(r)).toEqual([1, -1]);
    expect(closureGap(f(10, 9), parts, r)).toBe(0);
    expect(closureGap(f(10, 9), parts, f(0, 0))).toBe(1);
  });
});

describe('baselines', () => {
  it('kepler: dynamic by CPU-time ratio plus the idle share', () => {
    // measured 10 J, static 4 J → 6 J dynamic; a 3 s, b 1 s, host 2 s of CPU → a 3 J, b 1 J (+ idle 1 J each)
    const k = keplerSplit(f(10), f(4), new Map([['a', f(3)], ['b', f(1)]]), f(2), new Map([['a', f(1)], ['b', f(1)]]));
    expect(k.get('a')![0]).toBeCloseTo(4, 12);
    expect(k.get('b')![0]).toBeCloseTo(2, 12);
  });
  it('scaphandre: measured × jiffies / machine jiffies, cumulative ticks', () => {
    // 2 CPUs, 1 s intervals, hz 100: a ran 0.505 s then 0.5 s → ticks 50 then 100 (cumulative 1.005 s)
    const s = scaphandreSplit(f(20, 20), f(1, 1), new Map([['a', f(0.505, 0.5)]]), 2);
    expect(s.get('a')![0]).toBeCloseTo(5, 12); // 20 × 50/200
    expect(s.get('a')![1]).toBeCloseTo(5, 12); // 20 × 50/200
  });
});

describe('virtual counters and budgets', () => {
  it('rates per second of the vCPU\'s own run time', () => {
    const v = virtualCounters('a/vcpu0', new Map([['cycles', f(2e9, 1e9)]]), f(1, 0.5), f(3, 1.5));
    expect(v).toEqual({ vcpu: 'a/vcpu0', runSeconds: 1.5, rates: { cycles: 2e9 }, joules: 4.5, watts: 3 });
  });
  it('charges a vCPU\'s energy to its pCPUs by run time and compares with the budget', () => {
    // a/vcpu0 used 6 J, ran 0.5 s on pCPU 0 and 0.25 s on 1; a/vcpu1 2 J on pCPU 1; budget 3 W over 1 s
    const placement = new Map([['a/vcpu0', new Map([[0, f(0.5)], [1, f(0.25)]])], ['a/vcpu1', new Map([[1, f(0.1)]])]]);
    const cells = budgetCells(new Map([['a/vcpu0', f(6)], ['a/vcpu1', f(2)]]), placement, (v) => v.split('/')[0]!, 3, f(1));
    expect(cells).toEqual([
      { interval: 0, vm: 'a', pcpu: 0, joules: 4, budgetJoules: 3 },
      { interval: 0, vm: 'a', pcpu: 1, joules: 4, budgetJoules: 3 },
    ]);
    expect(overruns(cells)).toEqual({ count: 2, joules: 2 });
  });
  it('orders cells by interval, then VM in natural order (vm2 before vm10), then pCPU', () => {
    const placement = new Map([['vm10/vcpu0', new Map([[1, f(1)]])], ['vm2/vcpu0', new Map([[3, f(1)], [0, f(1)]])]]);
    const cells = budgetCells(new Map([['vm10/vcpu0', f(1)], ['vm2/vcpu0', f(4)]]), placement, (v) => v.split('/')[0]!, 5, f(1));
    expect(cells.map((c) => [c.vm, c.pcpu, c.joules])).toEqual([['vm2', 0, 2], ['vm2', 3, 2], ['vm10', 1, 1]]);
  });
});
