import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { noActions, type GuestAction, type HostAction, type HostPolicy } from '../../src/policies/types.js';
import { setSlotRate, step } from '../../src/replay/engine.js';
import { bind, idleGuest, idleHost, miniState, tickInput } from '../helpers/replay-engine.js';

const h = 0.001;

/** A host policy returning `script[tick]` (nothing for other ticks). */
function scripted(script: Record<number, HostAction[]>): HostPolicy {
  return { init() {}, decide: (obs) => script[obs.tick] ?? noActions };
}

describe('step', () => {
  it('runs the demand that fits, turning executed events into pCPU power and package energy', () => {
    const s = miniState({ pcpus: 2, vms: [2], weights: [1e-9], staticWatts: 10 });
    setSlotRate(s, 0, 0, 2e9); // vCPU 0: 2e9 events per running second
    setSlotRate(s, 1, 0, 1e9);
    step(s, tickInput(s, 0, [0.0005, h]), bind(s, idleHost));
    expect([...s.taskRun.subarray(0, 2)]).toEqual([0.0005, h]);
    expect([...s.taskBacklog.subarray(0, 2)]).toEqual([0, 0]);
    // pCPU 0: 0.0005 s × 2e9/s × 1 nJ = 1 mJ in 1 ms = 1 W; pCPU 1: 1 W as well.
    expect(s.pcpuWatts[0]).toBeCloseTo(1, 12);
    expect(s.pcpuWatts[1]).toBeCloseTo(1, 12);
    expect(s.tickSocketJoules[0]).toBeCloseTo(10 * h + 0.002, 15);
    // The VM: its dynamic 2 mJ plus the static share of the pCPU time it used (10 W / 2 pCPUs × 1.5 ms).
    expect(s.tickVmJoules[0]).toBeCloseTo(0.002 + 5 * 0.0015, 15);
  });

  it('heats each core with its core-domain power and the heatsink with the rest of the package, given a core model', () => {
    const heat = { core: new Float64Array(0), sink: new Float64Array(0) };
    const thermal = {
      coreCelsius: new Float64Array(2), settle() {},
      step(core: Float64Array, sink: Float64Array) { heat.core = Float64Array.from(core); heat.sink = Float64Array.from(sink); },
    };
    const plain = miniState({ pcpus: 2, vms: [1], weights: [1e-9], staticWatts: 10, thermal });
    setSlotRate(plain, 0, 0, 2e9);
    step(plain, tickInput(plain, 0, [h]), bind(plain, idleHost));
    expect([...heat.core].map((w) => +w.toFixed(12))).toEqual([2, 0]);
    expect([...heat.sink]).toEqual([10]);
    const split = miniState({ pcpus: 2, vms: [1], weights: [1e-9], staticWatts: 10, core: { weights: [0.5e-9], staticWatts: 4 }, thermal });
    setSlotRate(split, 0, 0, 2e9);
    step(split, tickInput(split, 0, [h]), bind(split, idleHost));
    // Core 0: 1 W core-domain dynamic + 2 W of the 4 W core static; core 1: 2 W static; heatsink: 12 W − 5 W.
    expect([...heat.core].map((w) => +w.toFixed(12))).toEqual([3, 2]);
    expect(heat.sink[0]).toBeCloseTo(7, 12);
    expect(split.tickSocketJoules[0]).toBeCloseTo(0.012, 15);
  });

  it('carries the demand a throttle holds back as backlog and runs it later', () => {
    const s = miniState({ pcpus: 1, vms: [1] });
    const host = scripted({ 0: [{ type: 'throttle-vcpu', vcpu: 0, fraction: 0.5 }], 1: [{ type: 'throttle-vcpu', vcpu: 0, fraction: 0 }] });
    const p = bind(s, host);
    step(s, tickInput(s, 0, [h]), p);
    expect(s.taskRun[0]).toBeCloseTo(0.0005, 15);
    expect(s.taskBacklog[0]).toBeCloseTo(0.0005, 15);
    expect(s.tickThrottledSeconds).toBeCloseTo(0.0005, 15);
    step(s, tickInput(s, 1, [0.0002]), p);
    expect(s.taskRun[0]).toBeCloseTo(0.0007, 15);
    expect(s.taskBacklog[0]).toBeCloseTo(0, 15);
    expect(s.tickThrottledSeconds).toBe(0);
  });

  it('shares an over-committed pCPU fairly and keeps the rest as backlog', () => {
    const s = miniState({ pcpus: 1, vms: [3] });
    step(s, tickInput(s, 0, [0.0002, 0.0006, 0.0006]), bind(s, idleHost));
    expect([...s.vcpuRun].map((x) => +x.toFixed(12))).toEqual([0.0002, 0.0004, 0.0004]);
    expect([...s.taskBacklog.subarray(0, 3)].map((x) => +x.toFixed(12))).toEqual([0, 0.0002, 0.0002]);
  });

  it('charges a migration time and warm-up events, unless the recording made the same move', () => {
    const s = miniState({ pcpus: 2, vms: [2], weights: [1e-6], migrationSeconds: 0.0002, warmup: [1000], initial: [0, 1] });
    const host = scripted({ 0: [{ type: 'migrate', vcpu: 0, pcpu: 1 }, { type: 'migrate', vcpu: 1, pcpu: 0 }] });
    // The recording had vCPU 1 move to pCPU 0 in this tick, vCPU 0 stay on pCPU 0.
    step(s, tickInput(s, 0, [h, h], [0, 0]), bind(s, host));
    expect(s.tickMigrations).toBe(2);
    expect(s.tickMigrationSeconds).toBeCloseTo(0.0002, 15);
    expect(s.taskRun[0]).toBeCloseTo(0.0008, 15);
    expect(s.taskBacklog[0]).toBeCloseTo(0.0002, 15);
    expect(s.taskRun[1]).toBeCloseTo(h, 15);
    // 1000 warm-up events × 1 µJ on pCPU 1, where vCPU 0 went; none for the recorded move.
    expect(s.pcpuJoules[1]).toBeCloseTo(0.001, 15);
    expect(s.pcpuJoules[0]).toBe(0);
  });

  it('keeps a throttled pCPU idle for its fraction', () => {
    const s = miniState({ pcpus: 1, vms: [1] });
    step(s, tickInput(s, 0, [h]), bind(s, scripted({ 0: [{ type: 'throttle-pcpu', pcpu: 0, fraction: 0.25 }] })));
    expect(s.vcpuRun[0]).toBeCloseTo(0.00075, 15);
    expect(s.tickThrottledSeconds).toBeCloseTo(0.00025, 15);
  });

  it('leaves the tasks of an unplugged vCPU waiting, until the guest moves them', () => {
    const unplug = scripted({ 0: [{ type: 'plug-vcpu', vcpu: 1, online: false }] });
    const idle = miniState({ pcpus: 2, vms: [2] });
    step(idle, tickInput(idle, 0, [0.0003, 0.0004]), bind(idle, unplug, () => idleGuest));
    expect(idle.taskRun[1]).toBe(0);
    expect(idle.taskBacklog[1]).toBeCloseTo(0.0004, 15);
    const linux = miniState({ pcpus: 2, vms: [2] });
    step(linux, tickInput(linux, 0, [0.0003, 0.0004]), bind(linux, unplug));
    expect(linux.taskVcpu[1]).toBe(0);
    expect(linux.taskRun[0]! + linux.taskRun[1]!).toBeCloseTo(0.0007, 15);
  });

  it('runs an inflated balloon beside the tasks of its vCPU, executing no events', () => {
    const s = miniState({ pcpus: 1, vms: [1], weights: [1e-9] });
    setSlotRate(s, 0, 0, 1e9);
    step(s, tickInput(s, 0, [h]), bind(s, scripted({ 0: [{ type: 'balloon', vm: 0, fraction: 0.5 }] }), () => idleGuest));
    expect(s.taskRun[0]).toBeCloseTo(0.0005, 15);
    expect(s.taskRun[1]).toBeCloseTo(0.0005, 15);
    expect(s.pcpuJoules[0]).toBeCloseTo(0.0005, 15);
  });

  it('applies guest moves and task throttles within the VM', () => {
    const s = miniState({ pcpus: 2, vms: [2] });
    const guest = () => ({
      init() {},
      decide: (obs: { tick: number }): GuestAction[] => (obs.tick === 0
        ? [{ type: 'move-task', task: 1, vcpu: 0 }, { type: 'throttle-task', task: 0, fraction: 0.5 }] : []),
    });
    step(s, tickInput(s, 0, [h, h]), bind(s, idleHost, guest));
    expect(s.taskVcpu[1]).toBe(0);
    // vCPU 0 runs both tasks: task 0 capped at 0.5 ms, task 1 gets the other 0.5 ms.
    expect(s.taskRun[0]).toBeCloseTo(0.0005, 15);
    expect(s.taskRun[1]).toBeCloseTo(0.0005, 15);
  });

  it('ignores what a policy writes into its observation', () => {
    const s = miniState({ pcpus: 2, vms: [1] });
    const vandal: HostPolicy = { init() {}, decide(obs) { obs.vcpuPcpu[0] = 1; obs.vcpuOnline[0] = 0; return noActions; } };
    step(s, tickInput(s, 0, [h]), bind(s, vandal));
    expect(s.vcpuPcpu[0]).toBe(0);
    expect(s.vcpuOnline[0]).toBe(1);
    expect(s.taskRun[0]).toBe(h);
  });
});

describe('action validation', () => {
  const run = (actions: unknown, guestActions?: unknown) => {
    const s = miniState({ pcpus: 2, vms: [1, 2] });
    const host = { init() {}, decide: () => actions as HostAction[] };
    const guest = () => ({ init() {}, decide: () => (guestActions ?? []) as GuestAction[] });
    try {
      step(s, tickInput(s, 0, [0, 0, 0]), bind(s, host, guest));
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it.each([
    [[{ type: 'migrate', vcpu: 9, pcpu: 0 }], messages.actionNoSuch('vcpu', 9, 3)],
    [[{ type: 'migrate', vcpu: 0, pcpu: 2 }], messages.actionNoSuch('pcpu', 2, 2)],
    [[{ type: 'migrate', vcpu: 0.5, pcpu: 0 }], messages.actionNoSuch('vcpu', 0.5, 3)],
    [[{ type: 'throttle-vcpu', vcpu: 0, fraction: 2 }], messages.actionBadFraction(2)],
    [[{ type: 'throttle-pcpu', pcpu: 0, fraction: -0.1 }], messages.actionBadFraction(-0.1)],
    [[{ type: 'set-budget', vm: 0, pcpu: 0, watts: -1 }], messages.actionBadWatts(-1)],
    [[{ type: 'plug-vcpu', vcpu: 0, online: false }], messages.actionLastVcpu('vm0')],
    [[{ type: 'balloon', vm: 5, fraction: 0.1 }], messages.actionNoSuch('vm', 5, 2)],
    [[{ type: 'teleport', vcpu: 0 }], messages.actionUnknownType('teleport', ['migrate', 'throttle-vcpu', 'throttle-pcpu', 'set-budget', 'plug-vcpu', 'balloon'])],
    [{ type: 'migrate' }, messages.actionNotArray()],
    [[null], messages.actionNotObject()],
  ])('rejects %j naming the host policy', (actions, reason) => {
    const e = run(actions) as PolicyError;
    expect(e).toBeInstanceOf(PolicyError);
    expect(e.code).toBe('policy.badAction');
    expect(e.exitCode).toBe(7);
    expect(e.message).toMatch(/^host policy "test-host" returned an impossible action at tick 0: /);
    expect(e.message.endsWith(`: ${reason}`)).toBe(true);
  });

  it('rejects a guest move to a vCPU its VM does not have, naming the guest policy', () => {
    const e = run([], [{ type: 'move-task', task: 0, vcpu: 1 }]) as PolicyError;
    expect(e).toBeInstanceOf(PolicyError);
    expect(e.message).toBe(messages.policyBadAction('guest', 'test-guest', 0, '{"type":"move-task","task":0,"vcpu":1}',
      messages.actionNoSuch('vcpu', 1, 1)));
  });

  it('rejects a guest move onto an unplugged vCPU', () => {
    const s = miniState({ pcpus: 2, vms: [2] });
    const host = scripted({ 0: [{ type: 'plug-vcpu', vcpu: 1, online: false }] });
    const guest = () => ({ init() {}, decide: (): GuestAction[] => [{ type: 'move-task', task: 0, vcpu: 1 }] });
    expect(() => step(s, tickInput(s, 0, [0, 0]), bind(s, host, guest))).toThrow(messages.actionVcpuOffline(1));
  });

  it('accepts a budget of null (removed) and a valid set', () => {
    expect(run([{ type: 'set-budget', vm: 1, pcpu: 1, watts: 3 }, { type: 'set-budget', vm: 1, pcpu: 1, watts: null }])).toBeUndefined();
  });
});
