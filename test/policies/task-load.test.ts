import { describe, expect, it } from 'vitest';
import { ParamSet } from '../../src/policies/params.js';
import { TaskLoad } from '../../src/policies/task-load.js';
import type { GuestAction, GuestContext, GuestObservation } from '../../src/policies/types.js';

const h = 0.001;

const ctx = (params: Record<string, string> = {}): GuestContext => ({
  name: 'test', vm: 'vm0', tickSeconds: h, vcpus: 3, tasks: 4, balloonTask: 3, events: [],
  params: new ParamSet(params), rng: () => ({ uniform: () => 0, int: () => 0 }),
});

const obs = (taskVcpu: number[], backlog: number[], online = [1, 1, 1]): GuestObservation => ({
  tick: 0, timeSeconds: 0, vcpuOnline: Uint8Array.from(online), vcpuBudgetWatts: new Float64Array(3).fill(NaN),
  vcpuWatts: new Float64Array(3), taskVcpu: Int32Array.from(taskVcpu), taskBacklogSeconds: Float64Array.from(backlog),
  taskRunSeconds: new Float64Array(4), taskThrottle: new Float64Array(4), taskEventRates: new Float64Array(0),
});

describe('TaskLoad', () => {
  it('averages each task\'s wanted fraction of a tick with the half-life, capped at a whole tick', () => {
    // Half-life of one tick: each observation moves the average half-way.
    const load = new TaskLoad(ctx({ halflife_ms: '1' }));
    load.observe(obs([0, 0, 1, 2], [h, 3 * h, 0.5 * h, 0]));
    expect([...load.util]).toEqual([0.5, 0.5, 0.25, 0]);
    load.observe(obs([0, 0, 1, 2], [h, 3 * h, 0.5 * h, 0]));
    expect([...load.util]).toEqual([0.75, 0.75, 0.375, 0]);
    expect([...load.vcpuLoad]).toEqual([1.5, 0.375, 0]);
  });

  it('keeps vCPU loads in step with moves, and rescues tasks from unplugged vCPUs to the idlest', () => {
    const load = new TaskLoad(ctx({ halflife_ms: '1' }));
    const actions: GuestAction[] = [];
    load.observe(obs([0, 1, 2, 2], [h, 0.5 * h, h, 0.2 * h], [1, 1, 0]));
    load.rescue(Uint8Array.from([1, 1, 0]), actions);
    // Task 2 (0.5) goes to vCPU 1 (0.25 < 0.5), then task 3 (0.1) to vCPU 0 (0.5 < 0.75).
    expect(actions).toEqual([{ type: 'move-task', task: 2, vcpu: 1 }, { type: 'move-task', task: 3, vcpu: 0 }]);
    expect([...load.where]).toEqual([0, 1, 1, 0]);
    expect([...load.vcpuLoad].map((x) => Math.abs(+x.toFixed(12)))).toEqual([0.6, 0.75, 0]);
  });

  it('balances every balance_ms ticks', () => {
    const load = new TaskLoad(ctx({ balance_ms: '3' }));
    expect([0, 1, 2, 3, 6, 7].map((t) => load.isBalanceTick(t))).toEqual([true, false, false, true, true, false]);
  });
});
