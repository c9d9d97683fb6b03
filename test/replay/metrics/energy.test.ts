import { describe, expect, it } from 'vitest';
import { energyTotals } from '../../../src/replay/metrics/energy.js';

describe('energyTotals', () => {
  it('sums host and per-VM energy with the I/O share (hand-worked)', () => {
    // Host 100 + 120 = 220 J. CPU: VM0 30 + 40 = 70, VM1 10 + 20 = 30. I/O: VM0 5 + 5 = 10,
    // VM1 0 + 10 = 10. VM totals 80 and 40; I/O shares 10/80 and 10/40; 220 − 120 = 100 J for no VM.
    const r = energyTotals({
      hostJoules: Float64Array.from([100, 120]),
      vmJoules: Float64Array.from([30, 10, 40, 20]),
      vmIoJoules: Float64Array.from([5, 0, 5, 10]),
    }, { vms: 2 });
    expect(r.totalJoules).toBe(220);
    expect([...r.vmJoules]).toEqual([80, 40]);
    expect([...r.vmIoJoules]).toEqual([10, 10]);
    expect([...r.vmIoShare]).toEqual([0.125, 0.25]);
    expect(r.unattributedJoules).toBe(100);
  });

  it('gives an idle VM an I/O share of 0', () => {
    const r = energyTotals({ hostJoules: Float64Array.from([5]), vmJoules: new Float64Array(1), vmIoJoules: new Float64Array(1) }, { vms: 1 });
    expect([...r.vmIoShare]).toEqual([0]);
    expect(r.unattributedJoules).toBe(5);
  });
});
