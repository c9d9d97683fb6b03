import { describe, expect, it } from 'vitest';
import { BundleError } from '../../src/errors.js';
import { MemorySink } from '../../src/ingest/memory-sink.js';
import { kvmIdentity, threadRoleFromName } from '../../src/ingest/qemu-threads.js';
import { SchedSwitchSpans, UNKNOWN_VM } from '../../src/ingest/sched-switch-spans.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';

/** A switch on `cpu` at `t` s: `prev` (comm:pid) leaves, `next` (comm:pid) comes in; `tgid` of prev. */
type Step = [cpu: number, t: number, prev: string, next: string, tgid?: number];

function run(steps: readonly Step[], options: ParseOptions = {}, tEnd?: number): { sink: MemorySink; spans: SchedSwitchSpans } {
  const sink = new MemorySink();
  const spans = new SchedSwitchSpans(sink, kvmIdentity(options));
  const split = (s: string): [string, number] => {
    const at = s.lastIndexOf(':');
    return [s.slice(0, at), Number(s.slice(at + 1))];
  };
  for (const [cpu, t, prev, next, tgid] of steps) {
    const [prevComm, prevPid] = split(prev);
    const [nextComm, nextPid] = split(next);
    spans.record('', cpu, t, prevPid, tgid ?? null, { prevComm, prevPid, prevState: 'R', nextComm, nextPid });
  }
  spans.end(tEnd ?? steps.at(-1)![1]);
  return { sink, spans };
}

describe('thread roles from names (§5.5)', () => {
  it.each([
    ['CPU 0/KVM', { kind: 'vcpu', index: 0 }],
    ['CPU 13/TCG', { kind: 'vcpu', index: 13 }],
    ['vhost-2931', { kind: 'vhost', owner: 2931 }],
    ['kvm-pit/31316', { kind: 'kvm-pit', owner: 31316 }],
    ['IO iothread0', { kind: 'iothread' }],
    ['IO mon_iothread', { kind: 'iothread' }],
    ['qemu-system-x86', { kind: 'emulator' }],
    ['qemu-system-aar', { kind: 'emulator' }],
  ] as const)('%s', (comm, role) => {
    expect(threadRoleFromName(comm)).toEqual(role);
  });
  it.each(['CPU 0/KVM extra', 'CPU0/KVM', 'cc1plus', 'kvm-nx-lpage-re', 'call_rcu', 'vhost-', 'kworker/0:0', '<idle>', 'swapper/1'])(
    '%s is nobody\'s', (comm) => expect(threadRoleFromName(comm)).toBeNull());
});

describe('residency spans', () => {
  it('a thread occupies a CPU from its switch-in to its switch-out there; matched by pid across a rename', () => {
    const { sink, spans } = run([
      [0, 1.0, 'bash:10', 'qemu-system-x86:31325'],
      [0, 1.5, 'CPU 0/KVM:31325', 'bash:10'],   // renamed itself while running
      [1, 1.6, 'cc1plus:20', 'CPU 0/KVM:31325'],
      [0, 1.7, 'bash:10', 'CPU 1/KVM:31330'],
      [1, 2.0, 'CPU 0/KVM:31325', '<idle>:0'],
      [0, 2.25, 'CPU 1/KVM:31330', 'swapper/0:0'],
    ]);
    expect(sink.residencies).toEqual([
      { vm: UNKNOWN_VM, vcpu: 0, pcpu: 0, t0: 1.0, t1: 1.5 },
      { vm: UNKNOWN_VM, vcpu: 0, pcpu: 1, t0: 1.6, t1: 2.0 },
      { vm: UNKNOWN_VM, vcpu: 1, pcpu: 0, t0: 1.7, t1: 2.25 },
    ]);
    // cc1plus (leading span on CPU 1) and bash are not qemu threads: no rows, but counted.
    expect(spans.stats).toMatchObject({ residencySpans: 3, spansOpenAtStart: 0, spansOpenAtEnd: 0, vmInferred: true });
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.kvmVmInferred(UNKNOWN_VM)]);
  });

  it('counts a span already running at a CPU\'s first record from the trace start, one still running to the end', () => {
    const { sink, spans } = run([
      [0, 0.0, 'bash:10', 'perf:11'],
      [1, 0.4, 'CPU 0/KVM:31325', 'bash:12'],
      [1, 0.9, 'bash:12', 'CPU 0/KVM:31325'],
    ], {}, 1.25);
    expect(sink.residencies).toEqual([
      { vm: UNKNOWN_VM, vcpu: 0, pcpu: 1, t0: 0, t1: 0.4 },
      { vm: UNKNOWN_VM, vcpu: 0, pcpu: 1, t0: 0.9, t1: 1.25 },
    ]);
    expect(spans.stats).toMatchObject({ spansOpenAtStart: 1, spansOpenAtEnd: 1 });
  });

  it('a switch whose prev is not the last next (lost records) cuts the span at the CPU\'s last record', () => {
    const sink = new MemorySink();
    const spans = new SchedSwitchSpans(sink, kvmIdentity({}));
    const sw = (prevComm: string, prevPid: number, nextComm: string, nextPid: number) =>
      ({ prevComm, prevPid, prevState: 'S', nextComm, nextPid });
    spans.record('', 3, 1.0, 7, null, sw('bash', 7, 'CPU 2/KVM', 40));
    spans.record('', 3, 1.2, 40, null, null); // e.g. a kvm_exit by the vCPU thread
    spans.record('', 3, 1.5, 9, null, sw('cc1plus', 9, 'swapper/3', 0)); // who switched cc1plus in is lost
    spans.end(2);
    expect(sink.residencies).toEqual([{ vm: UNKNOWN_VM, vcpu: 2, pcpu: 3, t0: 1.0, t1: 1.2 }]);
    expect(spans.stats).toMatchObject({ switchMismatches: 1, spansCut: 1, residencySpans: 1 });
  });

  it('a loss marker cuts the running span and restarts the CPU\'s window; zero-length spans are dropped', () => {
    const sink = new MemorySink();
    const spans = new SchedSwitchSpans(sink, kvmIdentity({}));
    const sw = (prevComm: string, prevPid: number, nextComm: string, nextPid: number) =>
      ({ prevComm, prevPid, prevState: 'R', nextComm, nextPid });
    spans.record('a', 0, 1.0, 0, null, sw('swapper/0', 0, 'CPU 0/KVM', 50));
    spans.record('a', 0, 1.1, 50, null, null);
    spans.gap('a', 0);
    spans.record('a', 0, 2.0, 50, null, sw('CPU 0/KVM', 50, 'CPU 1/KVM', 51)); // start unknown: [2, 2] dropped
    spans.record('b', 0, 2.1, 0, null, sw('swapper/0', 0, 'CPU 0/KVM', 60)); // another input's CPU 0
    spans.record('a', 0, 2.5, 51, null, sw('CPU 1/KVM', 51, 'swapper/0', 0));
    spans.end(3);
    expect(sink.residencies).toEqual([
      { vm: UNKNOWN_VM, vcpu: 0, pcpu: 0, t0: 1.0, t1: 1.1 },
      { vm: UNKNOWN_VM, vcpu: 1, pcpu: 0, t0: 2.0, t1: 2.5 },
      { vm: UNKNOWN_VM, vcpu: 0, pcpu: 0, t0: 2.1, t1: 3 },
    ]);
    expect(spans.stats).toMatchObject({ spansCut: 1, spansOpenAtStart: 0, spansOpenAtEnd: 1 });
    // vCPU 0 of "vm" is run by threads 50 and 60: two VMs without names were merged.
    expect(sink.warnings.map((w) => w.message)).toContain(messages.kvmVcpuClaimedTwice(UNKNOWN_VM, 0, 50, 60));
  });
});

describe('VM identity and helper threads', () => {
  const steps: Step[] = [
    [0, 1.0, 'swapper/0:0', 'qemu-system-x86:4180'],
    [0, 1.1, 'qemu-system-x86:4180', 'vhost-4180:4190', 4180],
    [0, 1.2, 'vhost-4180:4190', 'IO iothread0:4185', 4190],
    [0, 1.4, 'IO iothread0:4185', 'kvm-pit/4180:4191', 4180],
    [0, 1.5, 'kvm-pit/4180:4191', 'CPU 0/KVM:4187', 4191],
    [0, 1.9, 'CPU 0/KVM:4187', 'qemu-system-x86:4186', 4180],
    [0, 2.0, 'qemu-system-x86:4186', 'swapper/0:0', 4180],
  ];

  it('names VMs qemu-<pid> when the trace prints pids; helper threads become io spans', () => {
    const { sink, spans } = run(steps);
    expect(sink.residencies).toEqual([{ vm: 'qemu-4180', vcpu: 0, pcpu: 0, t0: 1.5, t1: 1.9 }]);
    expect(sink.ios).toEqual([
      { vm: 'qemu-4180', t0: 1.0, t1: 1.1, kind: 'oncpu-emulator', ops: null, bytes: null }, // main thread: tid = pid
      { vm: 'qemu-4180', t0: 1.1, t1: 1.2, kind: 'oncpu-vhost', ops: null, bytes: null },
      { vm: 'qemu-4180', t0: 1.2, t1: 1.4, kind: 'oncpu-iothread', ops: null, bytes: null },
      { vm: 'qemu-4180', t0: 1.4, t1: 1.5, kind: 'oncpu-kvm-pit', ops: null, bytes: null },
      // A qemu-system-x86 thread that is not the main one counts once the VM's vCPUs carry names.
      { vm: 'qemu-4180', t0: 1.9, t1: 2.0, kind: 'oncpu-emulator', ops: null, bytes: null },
    ]);
    expect(spans.stats).toMatchObject({ ioSpans: 5, vmInferred: true, qemuSecondsUnattributed: 0 });
  });

  it('bundle names win: vcpu_tids, then vmByPid (thread, then process), then vmName', () => {
    const { sink, spans } = run(steps, { extra: { vmByPid: { 4180: 'web01' }, vms: [{ name: 'db', vcpu_tids: [4187] }] } });
    expect(sink.residencies.map((r) => r.vm)).toEqual(['db']);
    expect(new Set(sink.ios.map((r) => r.vm))).toEqual(new Set(['web01']));
    expect(spans.stats.vmInferred).toBe(false);
    expect(sink.warnings).toEqual([]);
    const named = run(steps, { extra: { vmName: 'spike-kvm' } }).sink;
    expect(new Set([...named.residencies, ...named.ios].map((r) => r.vm))).toEqual(new Set(['spike-kvm']));
  });

  it('without pids in the trace every unnamed qemu thread lands in the one placeholder VM', () => {
    const noPids = steps.map(([cpu, t, prev, next]) => [cpu, t, prev, next] as Step);
    const { sink } = run(noPids);
    expect(new Set([...sink.residencies, ...sink.ios].map((r) => r.vm))).toEqual(new Set([UNKNOWN_VM]));
    // The main thread ran before any vCPU thread had shown its name, and its pid is not printed:
    // it could be a vCPU of a VM without debug-threads, so it is not attributed.
    expect(sink.ios.map((r) => r.kind)).toEqual(['oncpu-vhost', 'oncpu-iothread', 'oncpu-kvm-pit', 'oncpu-emulator']);
  });

  it('debug-threads off: vCPU index from kvm events, other qemu-system threads unattributed', () => {
    const sink = new MemorySink();
    const spans = new SchedSwitchSpans(sink, kvmIdentity({}));
    const sw = (prevComm: string, prevPid: number, nextComm: string, nextPid: number) =>
      ({ prevComm, prevPid, prevState: 'R', nextComm, nextPid });
    spans.record('', 0, 0, 0, null, sw('swapper/0', 0, 'qemu-system-x86', 18971));
    spans.learnVcpu(18971, 2);
    spans.record('', 0, 0.5, 18971, null, sw('qemu-system-x86', 18971, 'qemu-system-x86', 18972));
    spans.record('', 0, 0.75, 18972, null, sw('qemu-system-x86', 18972, 'swapper/0', 0));
    spans.end(1);
    expect(sink.residencies).toEqual([{ vm: UNKNOWN_VM, vcpu: 2, pcpu: 0, t0: 0, t1: 0.5 }]);
    expect(sink.ios).toEqual([]);
    expect(spans.stats.qemuSecondsUnattributed).toBe(0.25);
    expect(spans.vcpuOf(18971, 'qemu-system-x86', null)).toEqual({ vm: UNKNOWN_VM, index: 2 });
    expect(spans.vcpuOf(18972, 'qemu-system-x86', null)).toBeNull();
  });

  it('io_tids mark threads with other names as I/O threads', () => {
    const { sink } = run([[0, 1, 'swapper/0:0', 'worker:4200'], [0, 2, 'worker:4200', 'swapper/0:0']],
      { extra: { vms: [{ name: 'web01', pid: 4180, io_tids: [4200] }], vmByPid: { 4200: 'web01' } } });
    expect(sink.ios).toEqual([{ vm: 'web01', t0: 1, t1: 2, kind: 'oncpu-iothread', ops: null, bytes: null }]);
  });

  it('malformed identity hints are a BundleError', () => {
    for (const extra of [{ vmByPid: [1] }, { vmByPid: { abc: 'x' } }, { vmByPid: { 1: 2 } }, { vms: {} },
      { vms: [{ vcpu_tids: [1] }] }, { vms: [{ name: 'a', vcpu_tids: ['1'] }] }, { vmName: 3 }]) {
      expect(() => kvmIdentity({ extra })).toThrow(BundleError);
    }
    expect(kvmIdentity({ extra: { vmByPid: {}, vms: [], domains: {} } }).vmOfPid.size).toBe(0);
  });
});
