import { describe, expect, it } from 'vitest';
import { TaskPower } from '../../src/policies/task-power.js';
import { noActions, type GuestAction, type GuestPolicy } from '../../src/policies/types.js';
import { setSlotRate, step } from '../../src/replay/engine.js';
import type { EngineState } from '../../src/replay/engine-state.js';
import { bind, idleHost, miniState, tickInput } from '../helpers/replay-engine.js';

const h = 0.001;

/** A guest that only watches (after `first`, its tick-0 actions): it keeps its VM's `TaskPower` for the test to read. */
function probe(into: TaskPower[], first: GuestAction[] = []): () => GuestPolicy {
  return () => {
    let power: TaskPower;
    return {
      init(ctx) {
        power = new TaskPower(ctx);
        into.push(power);
      },
      decide(obs) {
        power.observe(obs);
        return obs.tick === 0 ? first : noActions;
      },
    };
  };
}

function setRates(s: EngineState, rates: number[][]): void {
  rates.forEach((row, task) => row.forEach((rate, e) => setSlotRate(s, task, e, rate)));
}

describe('TaskPower', () => {
  it('learns the hidden weights from vCPU power and task counters, and prices each task', () => {
    // Two events at 2 J and 0.5 J; task 0 runs 1 and 4 events/s (4 W), task 1 3 and 0 (6 W).
    const s = miniState({ pcpus: 2, vms: [2], weights: [2, 0.5] });
    setRates(s, [[1, 4], [3, 0]]);
    const seen: TaskPower[] = [];
    const p = bind(s, idleHost, probe(seen));
    for (let t = 0; t < 5; t++) step(s, tickInput(s, t, [h, 0.5 * h]), p);
    const power = seen[0]!;
    expect(power.weights[0]).toBeCloseTo(2, 7);
    expect(power.weights[1]).toBeCloseTo(0.5, 7);
    expect([...power.watts].map((w) => +w.toFixed(7))).toEqual([4, 6, 0]);
  });

  it('pairs each tick\'s power with the rates of that tick across a rate change', () => {
    // Rates change at tick 10 (after the first fit): rows pairing new rates with old power would
    // break the exact fit the two tasks allow.
    const s = miniState({ pcpus: 2, vms: [2], weights: [2, 0.5] });
    setRates(s, [[1, 4], [3, 0]]);
    const seen: TaskPower[] = [];
    const p = bind(s, idleHost, probe(seen));
    for (let t = 0; t < 40; t++) {
      if (t === 10) setRates(s, [[0, 8], [1, 2]]);
      step(s, tickInput(s, t, [h, h]), p);
    }
    const power = seen[0]!;
    expect(power.weights[0]).toBeCloseTo(2, 7);
    expect(power.weights[1]).toBeCloseTo(0.5, 7);
    expect(power.watts[0]).toBeCloseTo(4, 7);
    expect(power.watts[1]).toBeCloseTo(3, 7);
  });

  it('fits tasks sharing a vCPU and keeps weights non-negative', () => {
    // Both tasks on vCPU 0, half a tick each, so every row mixes them: [3, 3] events/s → 9 W
    // until tick 12, then [2.5, 5] → 7.5 W; only w = [3, 0] explains both.
    const s = miniState({ pcpus: 2, vms: [2], weights: [3, 0] });
    setRates(s, [[2, 5], [4, 1]]);
    const seen: TaskPower[] = [];
    const p = bind(s, idleHost, probe(seen, [{ type: 'move-task', task: 1, vcpu: 0 }]));
    for (let t = 0; t < 30; t++) {
      if (t === 12) setRates(s, [[1, 9], [4, 1]]);
      step(s, tickInput(s, t, [0.5 * h, 0.5 * h]), p);
    }
    const power = seen[0]!;
    expect(power.weights[0]).toBeCloseTo(3, 7);
    expect(power.weights[1]).toBeGreaterThanOrEqual(0);
    expect(power.weights[1]).toBeCloseTo(0, 7);
    expect(power.watts[0]).toBeCloseTo(3, 7);
    expect(power.watts[1]).toBeCloseTo(12, 7);
  });

  it('knows nothing before a vCPU has run, and nothing without events', () => {
    const s = miniState({ pcpus: 1, vms: [1], weights: [] });
    const seen: TaskPower[] = [];
    const p = bind(s, idleHost, probe(seen));
    for (let t = 0; t < 5; t++) step(s, tickInput(s, t, [h]), p);
    expect([...seen[0]!.watts]).toEqual([0, 0]);
    expect(seen[0]!.weights).toHaveLength(0);
  });
});
