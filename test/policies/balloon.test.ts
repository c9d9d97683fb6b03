import { describe, expect, it } from 'vitest';
import { balloonPolicy } from '../../src/policies/balloon.js';
import type { HostAction } from '../../src/policies/types.js';
import { workLost } from '../../src/replay/metrics/work-lost.js';
import { decideTicks, handObservation, runBudgeted, start } from '../helpers/budget-run.js';
import { miniState } from '../helpers/replay-engine.js';

const h = 0.001;

/** VM 0 and VM 1 on one vCPU each (pCPUs 0, 1), 2-tick windows; VM 1 draws 20 W, under any budget here. */
function twoVms(budgetW: number) {
  const s = miniState({ pcpus: 2, vms: [1, 1], initial: [0, 1] });
  const policy = balloonPolicy();
  start(s, policy, { budget_w: String(budgetW), window_ms: '2' });
  const obs = handObservation(s);
  obs.vcpuRunSeconds.set([h, h]);
  /** The actions at the end of the next window with VM 0 drawing `watts` while running `share` of the time. */
  let tick = 0;
  const window = (watts: number, share = 1): HostAction[] => {
    obs.vmPcpuWatts.set([watts, 0, 0, 20]);
    obs.vcpuRunSeconds.set([share * h, h]);
    const ticks = decideTicks(policy, obs, tick + 1, tick + 2);
    tick += 2;
    expect(ticks[0]).toEqual([]);
    return ticks[1]!;
  };
  return window;
}

const balloon = (fraction: number) => [{ type: 'balloon', vm: 0, fraction: expect.closeTo(fraction, 12) }];

describe('balloon', () => {
  it('inflates in proportion to the overshoot, in vCPU time that displaces it', () => {
    // Flat out at 100 W: 20 W over 80 W is a fifth of a busy vCPU; 50 W over 50 W half of one.
    expect(twoVms(80)(100)).toEqual(balloon(0.2));
    expect(twoVms(50)(100)).toEqual(balloon(0.5));
    // Running half the time at 100 W (200 W per busy vCPU): 20 W over takes a tenth of a vCPU.
    expect(twoVms(80)(100, 0.5)).toEqual(balloon(0.1));
  });

  it('holds at the budget, deflates in proportion when under, and to nothing when the VM idles', () => {
    const window = twoVms(80);
    expect(window(100)).toEqual(balloon(0.2));
    expect(window(80, 0.8)).toEqual([]);
    // 70 W from 0.8 of a vCPU: 10 W under frees 0.8 × 10/70 of one.
    expect(window(70, 0.8)).toEqual(balloon(0.2 - (0.8 * 10) / 70));
    expect(window(0, 0)).toEqual(balloon(0));
    expect(window(10)).toEqual([]);
  });

  it('through the engine: holds the capped VM at its budget, costing it work, and leaves an uncapped VM alone', () => {
    const run = runBudgeted({
      pcpus: 2, vms: [1, 1], initial: [0, 1], watts: [100, 20], demand: [1, 1], params: { budget_w: '70', window_ms: '5' },
    }, balloonPolicy(), 200, 5);
    expect(run.vmWatts[0]![0]).toBeCloseTo(100, 9);
    for (const w of run.vmWatts.slice(1)) {
      expect(w[0]).toBeLessThanOrEqual(70 * 1.01);
      expect(w[0]).toBeGreaterThan(70 * 0.95);
      expect(w[1]).toBeCloseTo(20, 9);
    }
    expect([...run.state.vmBalloon]).toEqual([expect.closeTo(0.3, 9), 0]);
    const lost = workLost(run, { vms: 2 });
    expect(lost.lost[0]).toBeGreaterThan(0.05);
    expect(Math.abs(lost.lost[1]!)).toBeLessThan(1e-12);
  });
});
