import { describe, expect, it } from 'vitest';
import { TraceClock } from '../../src/ingest/trace-clock.js';
import {
  mostlyRecords, parseFtraceLine, parseKvmEntry, parseKvmExit, parseLostEvents, parsePerfScriptLine,
  parseSchedSwitch, parseTraceCmdLine,
} from '../../src/ingest/tracepoint-line.js';

describe('ftrace record heads (§5.1(a))', () => {
  it.each([
    // [line, comm, tid, tgid, cpu, ts, event]
    [' qemu-system-x86-18971   [015] d.... 95922.997039: kvm_exit: vcpu 0 reason EXCEPTION_NMI rip 0xfd0bd',
      'qemu-system-x86', 18971, null, 15, '95922.997039', 'kvm_exit'],
    ['           CPU 0/KVM-7289    [023] d....  2925.640961: kvm_entry: vcpu 0', 'CPU 0/KVM', 7289, null, 23, '2925.640961', 'kvm_entry'],
    ['fc_vcpu 0-2779478 [077] .... 1820822.383989: kvm_exit: vcpu 0 reason EPT_VIOLATION rip 0x5a1b20 info 384 0',
      'fc_vcpu 0', 2779478, null, 77, '1820822.383989', 'kvm_exit'],
    ['          <idle>-0       (-------) [001] d..2.  2925.640900: sched_switch: prev_comm=swapper/1 prev_pid=0',
      '<idle>', 0, null, 1, '2925.640900', 'sched_switch'],
    ['           <...>-1234    (   1200) [002] ...1.  10.000001: sched_waking: comm=a pid=1', '<...>', 1234, 1200, 2, '10.000001', 'sched_waking'],
    ['  kworker/13:1-168     [013] .......  5.5: sched_switch: x', 'kworker/13:1', 168, null, 13, '5.5', 'sched_switch'],
    ['  memfd:sealed-91-3704  [000] 12706.596848: sched_switch: y', 'memfd:sealed-91', 3704, null, 0, '12706.596848', 'sched_switch'],
  ] as const)('%s', (line, comm, tid, tgid, cpu, ts, event) => {
    expect(parseFtraceLine(line)).toMatchObject({ src: '', comm, tid, tgid, cpu, ts, event });
  });

  it('rejects lines that are not records', () => {
    for (const line of ['# tracer: nop', '##### CPU 2 buffer started ####', 'cpus=2', 'CPU:1 [LOST 3 EVENTS]',
      '0.200304319,CPU 0/KVM-30545,133.45,msec,task-clock,133454156,100.00,0.667,CPUs utilized',
      '       CPU 0/KVM 31325 [001] 12707.675340: kvm:kvm_userspace_exit: reason KVM_EXIT_UNKNOWN (0)']) {
      expect(parseFtraceLine(line)).toBeNull();
    }
  });
});

describe('trace-cmd report record heads (§5.1(b))', () => {
  it('reads the instance prefix, the 16-wide comm with spaces and the padded event name', () => {
    expect(parseTraceCmdLine('kvmspike:        CPU 0/KVM-30545 [000] 12611.842507: sched_switch:         CPU 0/KVM:30545 [120] R ==> bash:30466 [120]'))
      .toEqual({ src: 'kvmspike', comm: 'CPU 0/KVM', tid: 30545, tgid: null, cpu: 0, ts: '12611.842507', event: 'sched_switch',
        system: null, payload: 'CPU 0/KVM:30545 [120] R ==> bash:30466 [120]' });
  });
  it('reads right-aligned file prefixes, unprefixed lines and ns stamps', () => {
    expect(parseTraceCmdLine(' host.dat:      vhost-38600-38620 [003] 1212277.098400000: sched_waking:  comm=x pid=1'))
      .toMatchObject({ src: 'host.dat', comm: 'vhost-38600', tid: 38620, cpu: 3, ts: '1212277.098400000' });
    expect(parseTraceCmdLine('     kworker/1:0-31764 [001] 1212277.097068: sched_switch:         kworker/1:0:31764 [120] t ==> swapper/1:0 [120]'))
      .toMatchObject({ src: '', comm: 'kworker/1:0', tid: 31764, cpu: 1, event: 'sched_switch' });
    expect(parseTraceCmdLine('kvmspike:  memfd:sealed-91-3704  [000] 12706.596848: sched_switch:  memfd:sealed-91:3704 [120] S ==> cc1plus:31231 [120]'))
      .toMatchObject({ src: 'kvmspike', comm: 'memfd:sealed-91', tid: 3704 });
  });
});

describe('perf script record heads (§5.1(c))', () => {
  it.each([
    ['       CPU 0/KVM 30545 [000] 12611.804350: sched:sched_switch: prev_comm=CPU 0/KVM prev_pid=30545',
      'CPU 0/KVM', 30545, null, 0, 'sched_switch'],
    ['python 302629 [011] 3485124.180312:       sched:sched_switch: prev_comm=python', 'python', 302629, null, 11, 'sched_switch'],
    [' kworker/1:2-eve 26845 [001] 12707.133789: sched:sched_switch: x', 'kworker/1:2-eve', 26845, null, 1, 'sched_switch'],
    [' memfd:sealed-91  3704 [000] 12707.110003: sched:sched_switch: x', 'memfd:sealed-91', 3704, null, 0, 'sched_switch'],
    ['             :-1    -1 [001] 12717.601137: sched:sched_switch: x', ':-1', -1, null, 1, 'sched_switch'],
    [' qemu-system-x86  4180/4187  [002] 1000.000150: kvm:kvm_entry: vcpu 1', 'qemu-system-x86', 4187, 4180, 2, 'kvm_entry'],
    ['       CPU 0/KVM 31325 [001] 12707.000001: kvmmmu:kvm_mmu_paging_element: pte 0 level 1', 'CPU 0/KVM', 31325, null, 1,
      'kvm_mmu_paging_element'],
    ['       CPU 0/KVM 31325 [001] 12707.675466:            kvm:kvm_pio: pio_write at 0x70 size 1 count 1 val 0x8f ',
      'CPU 0/KVM', 31325, null, 1, 'kvm_pio'],
    ['            perf  1234 [003]  1.000000001:          1 sched:sched_switch: x', 'perf', 1234, null, 3, 'sched_switch'],
  ] as const)('%s', (line, comm, tid, tgid, cpu, event) => {
    expect(parsePerfScriptLine(line)).toMatchObject({ comm, tid, tgid, cpu, event });
  });

  it('trims trailing blanks from payloads and rejects the other grammars', () => {
    expect(parsePerfScriptLine('       CPU 0/KVM 31325 [001] 12707.675466:            kvm:kvm_pio: pio_write at 0x70 size 1 count 1 val 0x8f ')?.payload)
      .toBe('pio_write at 0x70 size 1 count 1 val 0x8f');
    expect(parsePerfScriptLine('kvmspike:        CPU 0/KVM-30545 [000] 12611.842507: sched_switch:   CPU 0/KVM:30545 [120] R ==> bash:30466 [120]')).toBeNull();
    expect(parsePerfScriptLine(' qemu-system-x86-18971   [015] d.... 95922.997039: kvm_exit: vcpu 0 reason HLT rip 0x1')).toBeNull();
    expect(parsePerfScriptLine('\tffffffff81b2c3d4 __schedule+0x2f4 ([kernel.kallsyms])')).toBeNull();
  });
});

describe('sched_switch payloads (§5.2, both renderings)', () => {
  it('kernel rendering with comms holding spaces and slashes', () => {
    expect(parseSchedSwitch('prev_comm=CPU 0/KVM prev_pid=30545 prev_prio=120 prev_state=R+ ==> next_comm=swapper/1 next_pid=0 next_prio=120'))
      .toEqual({ prevComm: 'CPU 0/KVM', prevPid: 30545, prevState: 'R+', nextComm: 'swapper/1', nextPid: 0 });
    expect(parseSchedSwitch('prev_comm=IO mon_iothread prev_pid=7 prev_prio=120 prev_state=D|W ==> next_comm=kworker/u8:3 next_pid=9 next_prio=-51'))
      .toEqual({ prevComm: 'IO mon_iothread', prevPid: 7, prevState: 'D|W', nextComm: 'kworker/u8:3', nextPid: 9 });
  });
  it('plugin rendering takes the last :<pid> before the prio bracket', () => {
    expect(parseSchedSwitch('kworker/1:0:31764 [120] t ==> swapper/1:0 [120]'))
      .toEqual({ prevComm: 'kworker/1:0', prevPid: 31764, prevState: 't', nextComm: 'swapper/1', nextPid: 0 });
    expect(parseSchedSwitch('swapper/26:0 [120] R ==> CPU 0/KVM:38610 [120]'))
      .toEqual({ prevComm: 'swapper/26', prevPid: 0, prevState: 'R', nextComm: 'CPU 0/KVM', nextPid: 38610 });
    expect(parseSchedSwitch('memfd:sealed-91:3704 [120] S ==> <idle>:0 [-1]'))
      .toEqual({ prevComm: 'memfd:sealed-91', prevPid: 3704, prevState: 'S', nextComm: '<idle>', nextPid: 0 });
  });
  it('rejects broken payloads', () => {
    expect(parseSchedSwitch('prev_comm=a prev_pid=x prev_prio=120 prev_state=S ==> next_comm=b next_pid=2 next_prio=120')).toBeNull();
    expect(parseSchedSwitch('a:1 [120] S ==> b:2')).toBeNull();
    expect(parseSchedSwitch('comm=CPU 3/KVM pid=38614 prio=120 target_cpu=029')).toBeNull();
  });
});

describe('kvm_exit / kvm_entry payloads (§5.3)', () => {
  it.each([
    ['vcpu 0 reason EXCEPTION_NMI rip 0xfd0bd info1 0x0000000000000000 info2 0x0000000000000413 intr_info 0x80000306 error_code 0x00000000', 0, 'EXCEPTION_NMI'],
    ['vcpu 0 reason EXTERNAL_INTERRUPT intr_info 0x800000ec', 0, 'EXTERNAL_INTERRUPT'],
    ['reason EPT_VIOLATION rip 0x5a1b20 info 384 0', null, 'EPT_VIOLATION'],
    ['vcpu 3 reason npf rip 0xffffffff8100 info 100000004 fee000b0', 3, 'npf'],
    ['vcpu 1 reason EPT_MISCONFIG FAILED_VMENTRY rip 0x0 info1 0x0', 1, 'EPT_MISCONFIG FAILED_VMENTRY'],
    ['vcpu 2 reason 0x4b rip 0x1000 info 0 0 (nested)', 2, '0x4b'],
  ] as const)('%s', (payload, vcpu, reason) => {
    expect(parseKvmExit(payload)).toEqual({ vcpu, reason });
  });
  it('rejects arm64 payloads, reads every kvm_entry shape', () => {
    expect(parseKvmExit('TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010a0')).toBeNull();
    expect(parseKvmEntry('vcpu 0')).toBe(0);
    expect(parseKvmEntry('vcpu 12, rip 0xf7d6b')).toBe(12);
    expect(parseKvmEntry('vcpu 1, rip 0xffffffff81000000[immediate exit]')).toBe(1);
    expect(parseKvmEntry('PC: 0xffff')).toBeNull();
  });
});

describe('lost-events markers', () => {
  it.each([
    ['CPU:7 [204600 EVENTS DROPPED]', '', 7, 204600],
    ['CPU:0 [EVENTS DROPPED]', '', 0, null],
    [' host.dat: CPU:3 [12 EVENTS DROPPED]', 'host.dat', 3, 12],
    ['CPU:1 [LOST 3 EVENTS]', '', 1, 3],
    ['CPU:2 [LOST EVENTS]', '', 2, null],
  ] as const)('%s', (line, src, cpu, lost) => {
    expect(parseLostEvents(line)).toEqual({ src, cpu, lost });
  });
  it('is not fooled by records', () => {
    expect(parseLostEvents('kvmspike:        CPU 0/KVM-30545 [000] 12611.842507: sched_switch: x')).toBeNull();
  });
});

describe('TraceClock', () => {
  it('differences are exact to the nanosecond, whatever the magnitude', () => {
    const clock = new TraceClock();
    expect(clock.seconds('1212277.097105123')).toBe(0);
    expect(clock.origin).toBe('1212277.097105123');
    expect(clock.seconds('1212277.097105124')).toBe(1e-9);
    expect(clock.seconds('1212278.097105123')).toBe(1);
    // 6 decimals are µs; digits past the 9th are dropped.
    expect(clock.seconds('1212277.097106')).toBe(877 / 1e9);
    expect(clock.seconds('1212277.0971051239999')).toBe(0);
    // Doubles would not be exact: 12707.074340 − 12707.074339 ≠ 1e-6 in floating point.
    expect(12707.074340 - 12707.074339).not.toBe(1e-6);
    const c2 = new TraceClock();
    c2.seconds('12707.074339');
    expect(c2.seconds('12707.074340')).toBe(1e-6);
  });
});

describe('mostlyRecords', () => {
  it('needs most of the first non-comment lines to parse', () => {
    const rec = '       CPU 0/KVM 31325 [001] 12707.675340: kvm:kvm_userspace_exit: reason KVM_EXIT_UNKNOWN (0)';
    expect(mostlyRecords(['# header', 'Warning: something', rec, rec], parsePerfScriptLine)).toBe(true);
    expect(mostlyRecords(['a', 'b', 'c', rec], parsePerfScriptLine)).toBe(false);
    expect(mostlyRecords(['# only comments'], parsePerfScriptLine)).toBe(false);
  });
});
