import { describe, expect, it } from 'vitest';
import { defaultGuestPolicy } from '../../src/policies/default.js';
import { hotplugPolicy } from '../../src/policies/hotplug.js';
import { workLost } from '../../src/replay/metrics/work-lost.js';
import { decideTicks, handObservation, runBudgeted, start } from '../helpers/budget-run.js';
import { miniState } from '../helpers/replay-engine.js';

const h = 0.001;

/** VM 0: three vCPUs on pCPUs 0–2; VM 1: one on pCPU 3. Budget 90 W per VM, 2-tick windows. */
function threeVcpus(params: Record<string, string> = {}) {
  const s = miniState({ pcpus: 4, vms: [3, 1], initial: [0, 1, 2, 3] });
  const policy = hotplugPolicy();
  const initial = start(s, policy, { vm_budget_w: '90', window_ms: '2', ...params });
  const obs = handObservation(s);
  obs.vcpuRunSeconds.set([h, h, h, h]);
  return { s, policy, initial, obs };
}

describe('hotplug', () => {
  it('unplugs the vCPU where the VM is most over budget after a window over budget, and re-splits the budget', () => {
    const { policy, initial, obs } = threeVcpus();
    expect(initial).toEqual([
      { type: 'set-budget', vm: 0, pcpu: 0, watts: 30 }, { type: 'set-budget', vm: 0, pcpu: 1, watts: 30 },
      { type: 'set-budget', vm: 0, pcpu: 2, watts: 30 }, { type: 'set-budget', vm: 1, pcpu: 3, watts: 90 },
    ]);
    // VM 0 draws 40 + 50 + 40 = 130 W > 90 W, most over on pCPU 1; VM 1 is under.
    obs.vmPcpuWatts.set([40, 50, 40, 0, 0, 0, 0, 10]);
    const ticks = decideTicks(policy, obs, 0, 2);
    expect(ticks.slice(0, 2)).toEqual([[], []]);
    expect(ticks[2]).toEqual([
      { type: 'plug-vcpu', vcpu: 1, online: false },
      { type: 'set-budget', vm: 0, pcpu: 0, watts: 45 }, { type: 'set-budget', vm: 0, pcpu: 1, watts: null },
      { type: 'set-budget', vm: 0, pcpu: 2, watts: 45 },
    ]);
  });

  it('plugs back only with room for one more vCPU under the budget (hysteresis)', () => {
    const { policy, obs } = threeVcpus();
    obs.vmPcpuWatts.set([40, 40, 50, 0, 0, 0, 0, 10]);
    expect(decideTicks(policy, obs, 1, 2)[1]).toContainEqual({ type: 'plug-vcpu', vcpu: 2, online: false });
    obs.vcpuOnline.set([1, 1, 0, 1]);
    // 80 W on two vCPUs is under 90 W, but a third at 40 W would not fit 90 × 0.9.
    obs.vmPcpuWatts.set([40, 40, 0, 0, 0, 0, 0, 10]);
    expect(decideTicks(policy, obs, 3, 6).flat()).toEqual([]);
    // At 50 W a third vCPU adds 25 W: 75 ≤ 81.
    obs.vmPcpuWatts.set([25, 25, 0, 0, 0, 0, 0, 10]);
    expect(decideTicks(policy, obs, 7, 8)[1]).toEqual([
      { type: 'plug-vcpu', vcpu: 2, online: true },
      { type: 'set-budget', vm: 0, pcpu: 0, watts: 30 }, { type: 'set-budget', vm: 0, pcpu: 1, watts: 30 },
      { type: 'set-budget', vm: 0, pcpu: 2, watts: 30 },
    ]);
  });

  it('never unplugs the last vCPU', () => {
    const { policy, obs } = threeVcpus();
    obs.vcpuOnline.set([1, 0, 0, 1]);
    obs.vmPcpuWatts.set([200, 0, 0, 0, 0, 0, 0, 200]);
    expect(decideTicks(policy, obs, 1, 6).flat()).toEqual([]);
  });

  it('plugs back when the backlog passes its bound, over budget or not, and then does not unplug', () => {
    const { policy, obs } = threeVcpus({ backlog_ms: '5' });
    obs.vcpuOnline.set([1, 1, 0, 1]);
    obs.vmPcpuWatts.set([60, 60, 0, 0, 0, 0, 0, 10]);
    obs.vcpuBacklogSeconds.set([0.003, 0.003, 0, 0]);
    expect(decideTicks(policy, obs, 1, 2)[1]).toContainEqual({ type: 'plug-vcpu', vcpu: 2, online: true });
    obs.vcpuOnline.set([1, 1, 1, 1]);
    expect(decideTicks(policy, obs, 3, 6).flat()).toEqual([]);
  });

  it('with budget_w counts the budget of the pCPU a plugged vCPU would add', () => {
    const s = miniState({ pcpus: 2, vms: [2], initial: [0, 1] });
    const policy = hotplugPolicy();
    start(s, policy, { budget_w: '30', window_ms: '1', headroom_pct: '0' });
    const obs = handObservation(s);
    // 35 + 40 W over 2 × 30 W: vCPU 1 goes, and pCPU 1's budget with it.
    obs.vmPcpuWatts.set([35, 40]);
    expect(decideTicks(policy, obs, 1, 1)[0]).toEqual([
      { type: 'plug-vcpu', vcpu: 1, online: false }, { type: 'set-budget', vm: 0, pcpu: 1, watts: null },
    ]);
    obs.vcpuOnline.set([1, 0]);
    // Back on pCPU 1 it would bring 30 W more budget: 2 × 35 W > 60 W stays out, 2 × 30 W ≤ 60 W comes back.
    obs.vmPcpuWatts.set([35, 0]);
    expect(decideTicks(policy, obs, 2, 2)[0]).toEqual([]);
    obs.vmPcpuWatts.set([30, 0]);
    expect(decideTicks(policy, obs, 3, 3)[0]).toEqual([
      { type: 'plug-vcpu', vcpu: 1, online: true }, { type: 'set-budget', vm: 0, pcpu: 1, watts: 30 },
    ]);
  });

  it('through the engine: closes the valve until the VM fits its budget, costing it work, and leaves an uncapped VM alone', () => {
    // VM 0: four vCPUs at 25 W each, budget 60 W; VM 1: one vCPU at 10 W.
    const run = runBudgeted({
      pcpus: 5, vms: [4, 1], initial: [0, 1, 2, 3, 4], watts: [25, 25, 25, 25, 10], demand: [1, 1, 1, 1, 1],
      params: { vm_budget_w: '60', window_ms: '5', backlog_ms: '100000' }, guest: defaultGuestPolicy,
    }, hotplugPolicy(), 200, 5);
    const s = run.state;
    expect(run.vmWatts[0]![0]).toBeCloseTo(100, 9);
    expect(run.vmWatts[1]![0]).toBeCloseTo(75, 9);
    for (const w of run.vmWatts.slice(2)) {
      expect(w[0]).toBeLessThanOrEqual(60 * 1.01);
      expect(w[0]).toBeCloseTo(50, 6);
      expect(w[1]).toBeCloseTo(10, 9);
    }
    expect([...s.vcpuOnline]).toEqual([1, 1, 0, 0, 1]);
    // The guest moved the unplugged vCPUs' tasks to online ones.
    for (let j = 0; j < s.vcpus; j++) expect(s.vcpuOnline[s.taskVcpu[j]!]).toBe(1);
    const lost = workLost(run, { vms: 2 });
    expect(lost.lost[0]).toBeGreaterThan(0.3);
    expect(Math.abs(lost.lost[1]!)).toBeLessThan(1e-12);
  });
});
