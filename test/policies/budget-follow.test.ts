import { describe, expect, it } from 'vitest';
import { budgetFollowGuestPolicy } from '../../src/policies/budget-follow.js';
import { defaultGuestPolicy } from '../../src/policies/default.js';
import type { GuestPolicy, HostAction } from '../../src/policies/types.js';
import { setSlotRate, step } from '../../src/replay/engine.js';
import type { EngineState } from '../../src/replay/engine-state.js';
import { bind, miniState, scriptedHost, tickInput } from '../helpers/replay-engine.js';

const h = 0.001;

interface Follow {
  /** vCPUs of the one VM (each on its own pCPU). */
  vcpus: number;
  /** Power of each task while running, W (one event at 1 J, so the rate). */
  watts: number[];
  /** CPU-s each task wants per tick. */
  arrive: number[];
  ticks: number;
  /** Host actions before the first tick and per tick. */
  start?: HostAction[];
  host?: (tick: number) => readonly HostAction[];
  guest?: () => GuestPolicy;
  params?: Record<string, string>;
  /** Called after each tick. */
  each?: (s: EngineState, tick: number) => void;
}

function follow(o: Follow): EngineState {
  const s = miniState({ pcpus: o.vcpus, vms: [o.vcpus] });
  o.watts.forEach((w, j) => setSlotRate(s, j, 0, w));
  const p = bind(s, scriptedHost(s, o.start ?? [], o.host), o.guest ?? budgetFollowGuestPolicy, undefined,
    o.params ? { params: o.params } : {});
  for (let t = 0; t < o.ticks; t++) {
    step(s, tickInput(s, t, o.arrive), p);
    o.each?.(s, t);
  }
  return s;
}

const budget = (watts: number | null): HostAction => ({ type: 'set-budget', vm: 0, pcpu: 0, watts });

describe('budget-follow guest', () => {
  it('throttles a task over its vCPU\'s budget by the excess, holds in the hysteresis band, releases below it', () => {
    // A 10 W task wanting whole ticks under a 6 W budget: it may run 0.6 of a tick (throttle 0.4).
    // Budget 6.5 W at tick 20: 6 W is inside [0.9 × 6.5, 6.5], so nothing changes. Budget 7 W at
    // tick 40: 0.3 W of headroom below 6.3 W gives back 0.03 of the tick. No budget at tick 60: free.
    const script: Record<number, HostAction[]> = { 20: [budget(6.5)], 40: [budget(7)], 60: [budget(null)] };
    const throttle: number[] = [];
    const watts: number[] = [];
    follow({
      vcpus: 1, watts: [10], arrive: [h], ticks: 70, start: [budget(6)], host: (t) => script[t] ?? [],
      each: (s) => {
        throttle.push(s.taskThrottle[0]!);
        watts.push(s.vcpuWatts[0]!);
      },
    });
    expect(throttle[0]).toBe(0);
    expect(watts[0]).toBeCloseTo(10, 12);
    expect(throttle[1]).toBeCloseTo(0.4, 12);
    expect(watts[1]).toBeCloseTo(6, 12);
    expect(throttle[39]).toBeCloseTo(0.4, 12);
    expect(throttle[41]).toBeCloseTo(0.37, 12);
    expect(watts[45]).toBeCloseTo(6.3, 12);
    expect(throttle[61]).toBe(0);
    expect(watts[65]).toBeCloseTo(10, 12);
  });

  it('cuts the hottest task on the vCPU first and leaves the cool one running', () => {
    // vCPU 1 is unplugged, so task 1 joins task 0 on vCPU 0: half a tick each at 10 W and 2 W
    // makes 6 W. A 4 W budget cuts 2 W from the hot task: 0.3 of a tick left, throttle 0.7.
    const s = follow({
      vcpus: 2, watts: [10, 2], arrive: [0.5 * h, 0.5 * h], ticks: 10,
      start: [{ type: 'plug-vcpu', vcpu: 1, online: false }, budget(4)],
    });
    expect([...s.taskVcpu.subarray(0, 2)]).toEqual([0, 0]);
    expect(s.taskThrottle[0]).toBeCloseTo(0.7, 12);
    expect(s.taskThrottle[1]).toBe(0);
    expect(s.taskRun[0]).toBeCloseTo(0.3 * h, 15);
    expect(s.taskRun[1]).toBeCloseTo(0.5 * h, 15);
    expect(s.vcpuWatts[0]).toBeCloseTo(4, 12);
  });

  it('spreads a cut over several tasks when the hottest alone cannot cover it, and never throttles the balloon', () => {
    // 6 W from one half-tick at 10 W and one at 2 W; a 0.5 W budget removes 5.5 W: all 5 W of
    // the hot task, then 0.5 W of the cool one (0.25 of its half tick).
    const s = follow({
      vcpus: 2, watts: [10, 2], arrive: [0.5 * h, 0.5 * h], ticks: 3,
      start: [{ type: 'plug-vcpu', vcpu: 1, online: false }, budget(0.5), { type: 'balloon', vm: 0, fraction: 0.2 }],
    });
    expect(s.taskThrottle[0]).toBeCloseTo(1, 12);
    expect(s.taskThrottle[1]).toBeGreaterThan(0.5);
    expect(s.taskThrottle[2]).toBe(0);
  });

  it('without budgets places tasks exactly as default does and throttles nothing', () => {
    const run = (guest: () => GuestPolicy) => {
      const placements: string[] = [];
      let throttled = 0;
      follow({
        vcpus: 3, watts: [5, 3, 1], arrive: [h, 0.2 * h, 0.9 * h], ticks: 80, guest,
        start: [{ type: 'plug-vcpu', vcpu: 2, online: false }],
        host: (t) => (t === 40 ? [{ type: 'plug-vcpu', vcpu: 2, online: true }] : []),
        each: (s) => {
          placements.push(s.taskVcpu.join(','));
          throttled += s.taskThrottle.reduce((a, b) => a + b, 0);
        },
      });
      return { placements, throttled };
    };
    const mine = run(budgetFollowGuestPolicy);
    expect(mine.throttled).toBe(0);
    expect(mine.placements).toEqual(run(defaultGuestPolicy).placements);
    // The scenario does move tasks: task 2 is rescued from the unplugged vCPU 2.
    expect(new Set(mine.placements).size).toBeGreaterThan(1);
  });

  it('rejects a release band outside 0–100 %', () => {
    expect(() => follow({ vcpus: 1, watts: [1], arrive: [h], ticks: 1, params: { guest_release_pct: '120' } }))
      .toThrow(expect.objectContaining({ code: 'policy.badParam' }));
  });
});
