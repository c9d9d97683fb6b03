import { describe, expect, it } from 'vitest';
import { defaultGuestPolicy } from '../../src/policies/default.js';
import { loadBalancePolicy } from '../../src/policies/load-balance.js';
import { pinnedPolicy } from '../../src/policies/pinned.js';
import { recordedPolicy } from '../../src/policies/recorded.js';
import { ParamSet } from '../../src/policies/params.js';
import type { GuestObservation, HostAction } from '../../src/policies/types.js';
import { applyHostActions } from '../../src/replay/actions.js';
import { step } from '../../src/replay/engine.js';
import { bind, hostContext, idleGuest, miniState, tickInput } from '../helpers/replay-engine.js';

const h = 0.001;

describe('pinned', () => {
  it('deals vCPUs round-robin over pCPUs across VMs, from `first`, and never moves them again', () => {
    const s = miniState({ pcpus: 3, vms: [2, 3] });
    const policy = pinnedPolicy();
    const actions = policy.init(hostContext(s, { first: '1' })) as HostAction[];
    expect(actions.map((a) => a.type === 'migrate' && [a.vcpu, a.pcpu])).toEqual([[0, 1], [1, 2], [2, 0], [3, 1], [4, 2]]);
    expect(policy.decide(s.hostObs)).toEqual([]);
  });
});

describe('recorded', () => {
  it('moves each vCPU that ran in the recording to its recorded pCPU, and leaves idle ones', () => {
    const s = miniState({ pcpus: 3, vms: [3], initial: [0, 1, 2] });
    const policy = recordedPolicy();
    policy.init(hostContext(s));
    s.hostObs.vcpuPcpu.set([0, 1, 2]);
    s.hostObs.recordedPcpu.set([0, 2, -1]);
    expect(policy.decide(s.hostObs)).toEqual([{ type: 'migrate', vcpu: 1, pcpu: 2 }]);
  });
});

/** Runs `ticks` ticks of constant demand `arrive` under load-balance with `params`; returns the placement. */
function balance(arrive: number[], pcpus: number, params: Record<string, string>, ticks: number, seed = 1): number[] {
  const s = miniState({ pcpus, vms: [arrive.length], initial: arrive.map(() => 0) });
  const policy = loadBalancePolicy();
  policy.init(hostContext(s, params, seed));
  const p = bind(s, policy, () => idleGuest);
  for (let t = 0; t < ticks; t++) step(s, tickInput(s, t, arrive), p);
  return [...s.vcpuPcpu];
}

describe('load-balance', () => {
  it('spreads busy vCPUs piled on one pCPU at the end of a slice', () => {
    // Slice 10 ms: nothing moves before tick 10; after it each pCPU holds two of the four busy vCPUs.
    expect(balance([h, h, h, h], 2, { slice_ms: '10' }, 10)).toEqual([0, 0, 0, 0]);
    const after = balance([h, h, h, h], 2, { slice_ms: '10' }, 11);
    expect(after.filter((p) => p === 1)).toHaveLength(2);
  });

  it('does not move for gains below the migration resistance', () => {
    // Two vCPUs at 5 % on one pCPU: each has 0.5 ms run in the slice plus 0.05 ms waiting, so
    // moving one closes a 1.1 ms gap entirely: a gain of 1.1 ms of CPU time.
    expect(balance([0.05 * h, 0.05 * h], 2, { slice_ms: '10', resist_us: '1150' }, 11)).toEqual([0, 0]);
    expect(balance([0.05 * h, 0.05 * h], 2, { slice_ms: '10', resist_us: '1050' }, 11).sort()).toEqual([0, 1]);
  });

  it('breaks ties between idle pCPUs with its random stream: seeds differ, a seed repeats', () => {
    const runs = [1, 2, 3, 4, 5, 6].map((seed) => balance([h, h], 4, { slice_ms: '5' }, 6, seed).join(','));
    expect(new Set(runs).size).toBeGreaterThan(1);
    expect(balance([h, h], 4, { slice_ms: '5' }, 6, 3)).toEqual(balance([h, h], 4, { slice_ms: '5' }, 6, 3));
  });
});

describe('default guest', () => {
  const ctx = (params: Record<string, string> = {}) => ({
    name: 'default', vm: 'vm0', tickSeconds: h, vcpus: 2, tasks: 3, balloonTask: 2, events: [],
    params: new ParamSet(params), rng: () => ({ uniform: () => 0, int: () => 0 }),
  });
  const obs = (taskVcpu: number[], backlog: number[], online = [1, 1]): GuestObservation => ({
    tick: 0, timeSeconds: 0, vcpuOnline: Uint8Array.from(online), vcpuBudgetWatts: new Float64Array(2).fill(NaN),
    vcpuWatts: new Float64Array(2), taskVcpu: Int32Array.from(taskVcpu), taskBacklogSeconds: Float64Array.from(backlog),
    taskRunSeconds: new Float64Array(3), taskThrottle: new Float64Array(3), taskEventRates: new Float64Array(0),
  });

  it('pulls a task from a vCPU running two to an idle one', () => {
    const g = defaultGuestPolicy();
    g.init(ctx({ halflife_ms: '1' }));
    let moves: readonly unknown[] = [];
    for (let t = 0; t < 8 && moves.length === 0; t++) moves = g.decide({ ...obs([0, 0, 0], [h, h, 0]), tick: t });
    expect(moves).toEqual([{ type: 'move-task', task: 0, vcpu: 1 }]);
  });

  it('leaves a task alone on its vCPU even when the other vCPU idles', () => {
    const g = defaultGuestPolicy();
    g.init(ctx());
    for (let t = 0; t < 50; t++) expect(g.decide({ ...obs([0, 1, 0], [h, 0, 0]), tick: t })).toEqual([]);
  });

  it('rescues tasks stranded on an unplugged vCPU at once', () => {
    const g = defaultGuestPolicy();
    g.init(ctx());
    expect(g.decide(obs([1, 1, 0], [h, 0, 0], [1, 0]))).toEqual([
      { type: 'move-task', task: 0, vcpu: 0 }, { type: 'move-task', task: 1, vcpu: 0 },
    ]);
  });
});

describe('policies through the engine', () => {
  it('pinned initial placement is free: no migrations counted', () => {
    const s = miniState({ pcpus: 2, vms: [2], initial: [1, 0] });
    applyHostActions(s, pinnedPolicy().init(hostContext(s)) ?? [], { kind: 'host', name: 'pinned', tick: -1 },
      new Int32Array(2).fill(-1), true);
    expect([...s.vcpuPcpu]).toEqual([0, 1]);
    expect(s.tickMigrations).toBe(0);
    expect([...s.vcpuPendingCost]).toEqual([0, 0]);
  });
});
