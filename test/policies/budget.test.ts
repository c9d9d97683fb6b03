import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { budgetFollowGuestPolicy } from '../../src/policies/budget-follow.js';
import { budgetPolicy } from '../../src/policies/budget.js';
import { defaultGuestPolicy } from '../../src/policies/default.js';
import { workLost } from '../../src/replay/metrics/work-lost.js';
import { decideTicks, handObservation, runBudgeted, start } from '../helpers/budget-run.js';
import { hostContext, miniState } from '../helpers/replay-engine.js';

const h = 0.001;

describe('budget parameters', () => {
  it('sets a budget on every VM × pCPU in use, per pCPU (budget_w) or split from the VM total (vm_budget_w)', () => {
    const s = miniState({ pcpus: 3, vms: [2, 1], initial: [0, 0, 2] });
    expect(start(s, budgetPolicy(), { budget_w: '5' })).toEqual([
      { type: 'set-budget', vm: 0, pcpu: 0, watts: 5 }, { type: 'set-budget', vm: 1, pcpu: 2, watts: 5 },
    ]);
    const t = miniState({ pcpus: 3, vms: [2, 1], initial: [0, 1, 2] });
    expect(start(t, budgetPolicy(), { vm_budget_w: '12' })).toEqual([
      { type: 'set-budget', vm: 0, pcpu: 0, watts: 6 }, { type: 'set-budget', vm: 0, pcpu: 1, watts: 6 },
      { type: 'set-budget', vm: 1, pcpu: 2, watts: 12 },
    ]);
    // The engine shows the guests their budget on each vCPU's pCPU.
    expect([...t.vmPcpuBudget]).toEqual([6, 6, NaN, NaN, NaN, 12]);
  });

  it('wants exactly one budget, and a positive window', () => {
    const s = miniState({ pcpus: 1, vms: [1] });
    expect(() => budgetPolicy().init(hostContext(s))).toThrow(expect.objectContaining({
      code: 'policy.badParam', message: messages.budgetParamsOne('test-host', false), hint: messages.hintBudgetParams(),
    }));
    expect(() => budgetPolicy().init(hostContext(s, { budget_w: '1', vm_budget_w: '2' })))
      .toThrow(messages.budgetParamsOne('test-host', true));
    expect(() => budgetPolicy().init(hostContext(s, { budget_w: '-1' }))).toThrow(PolicyError);
    expect(() => budgetPolicy().init(hostContext(s, { budget_w: '1', window_ms: '0' })))
      .toThrow(messages.policyParamRange('window_ms', 0, '> 0'));
  });

  it('moves the budget with a vCPU the recording moves', () => {
    const s = miniState({ pcpus: 2, vms: [2], initial: [0, 1] });
    const policy = budgetPolicy();
    start(s, policy, { vm_budget_w: '10' });
    const obs = handObservation(s);
    obs.recordedPcpu.set([-1, 0]);
    const [tick1] = decideTicks(policy, obs, 1, 1);
    expect(tick1).toEqual([
      { type: 'migrate', vcpu: 1, pcpu: 0 },
      { type: 'set-budget', vm: 0, pcpu: 0, watts: 10 }, { type: 'set-budget', vm: 0, pcpu: 1, watts: null },
    ]);
  });
});

describe('budget enforcement', () => {
  it('throttles a VM over its budget on a pCPU at the end of the window, to the share that meets it', () => {
    const s = miniState({ pcpus: 2, vms: [1, 1], initial: [0, 1] });
    const policy = budgetPolicy();
    start(s, policy, { budget_w: '60', window_ms: '2' });
    const obs = handObservation(s);
    // VM 0 drew 100 W running flat out; VM 1 20 W, under its budget.
    obs.vmPcpuWatts.set([100, 0, 0, 20]);
    obs.vcpuRunSeconds.set([h, h]);
    const ticks = decideTicks(policy, obs, 0, 2);
    expect(ticks.slice(0, 2)).toEqual([[], []]);
    expect(ticks[2]).toHaveLength(1);
    expect(ticks[2]![0]).toMatchObject({ type: 'throttle-vcpu', vcpu: 0 });
    expect((ticks[2]![0] as { fraction: number }).fraction).toBeCloseTo(0.4, 12);

    // Throttled to 0.6 of the tick it draws its budget: the throttle holds.
    obs.vcpuThrottle.set([0.4, 0]);
    obs.vmPcpuWatts.set([60, 0, 0, 20]);
    obs.vcpuRunSeconds.set([0.6 * h, h]);
    for (const a of decideTicks(policy, obs, 3, 4).flat()) expect((a as { fraction: number }).fraction).toBeCloseTo(0.4, 12);

    // Its events get cheaper (50 W per busy pCPU): running flat out fits, so the throttle is released.
    obs.vmPcpuWatts.set([30, 0, 0, 20]);
    expect(decideTicks(policy, obs, 5, 6)[1]).toEqual([{ type: 'throttle-vcpu', vcpu: 0, fraction: 0 }]);
  });

  it('releases a throttled VM that did not run in the window', () => {
    const s = miniState({ pcpus: 1, vms: [1] });
    const policy = budgetPolicy();
    start(s, policy, { budget_w: '10', window_ms: '2' });
    const obs = handObservation(s);
    obs.vcpuThrottle.set([0.7]);
    expect(decideTicks(policy, obs, 1, 2)[1]).toEqual([{ type: 'throttle-vcpu', vcpu: 0, fraction: 0 }]);
  });

  it('leaves a VM within its budget alone', () => {
    const s = miniState({ pcpus: 1, vms: [1] });
    const policy = budgetPolicy();
    start(s, policy, { budget_w: '10', window_ms: '2' });
    const obs = handObservation(s);
    obs.vmPcpuWatts.set([10]);
    obs.vcpuRunSeconds.set([h]);
    expect(decideTicks(policy, obs, 1, 6).flat()).toEqual([]);
  });

  it('splits the allowed share equally among a VM\'s vCPUs on one pCPU', () => {
    const s = miniState({ pcpus: 1, vms: [2], initial: [0, 0] });
    const policy = budgetPolicy();
    start(s, policy, { budget_w: '30', window_ms: '1' });
    const obs = handObservation(s);
    // Together they ran the whole pCPU at 60 W: allowed 0.5 of it, 0.25 each.
    obs.vmPcpuWatts.set([60]);
    obs.vcpuRunSeconds.set([0.9 * h, 0.1 * h]);
    const [, tick1] = decideTicks(policy, obs, 0, 1);
    expect(tick1).toEqual([0, 1].map((vcpu) => ({ type: 'throttle-vcpu', vcpu, fraction: expect.closeTo(0.75, 12) })));
  });
});

describe('budget through the engine', () => {
  it('holds the capped VM at its budget, costing it work, and leaves an uncapped VM alone', () => {
    const run = runBudgeted({
      pcpus: 2, vms: [1, 1], initial: [0, 1], watts: [100, 20], demand: [1, 1], params: { budget_w: '50', window_ms: '5' },
    }, budgetPolicy(), 200, 5);
    const s = run.state;
    // Window 0 runs uncapped; from window 1 on the controller has settled.
    expect(run.vmWatts[0]![0]).toBeCloseTo(100, 9);
    for (const w of run.vmWatts.slice(1)) {
      expect(w[0]).toBeLessThanOrEqual(50 * 1.01);
      expect(w[0]).toBeGreaterThan(50 * 0.95);
      expect(w[1]).toBeCloseTo(20, 9);
    }
    const lost = workLost(run, { vms: 2 });
    expect(lost.lost[0]).toBeGreaterThan(0.09);
    expect(Math.abs(lost.lost[1]!)).toBeLessThan(1e-12);
    expect([...s.vcpuThrottle]).toEqual([expect.closeTo(0.5, 9), 0]);
    expect(s.guestObs[0]!.vcpuBudgetWatts[0]).toBe(50);
  });

  it('lets a cooperative guest (budget-follow) cap itself within a tick, and its throttle cuts no further', () => {
    const scenario = {
      pcpus: 2, vms: [1, 1], initial: [0, 1], watts: [100, 20], demand: [1, 1], params: { budget_w: '50', window_ms: '5' },
    };
    const unaware = runBudgeted({ ...scenario, guest: defaultGuestPolicy }, budgetPolicy(), 100, 5);
    const cooperative = runBudgeted({ ...scenario, guest: budgetFollowGuestPolicy }, budgetPolicy(), 100, 5);
    // The guest overshoots only its first tick (it sees power a tick late); the host a whole window.
    expect(unaware.vmWatts[0]![0]).toBeCloseTo(100, 9);
    expect(cooperative.vmWatts[0]![0]).toBeCloseTo(60, 9);
    // Afterwards the VM runs exactly at its budget: the host's throttle does not cut below the guest's own.
    for (const w of cooperative.vmWatts.slice(1)) expect(w[0]).toBeCloseTo(50, 6);
    expect(cooperative.state.vcpuThrottle[0]).toBeLessThanOrEqual(cooperative.state.taskThrottle[0]! + 1e-9);
  });
});
