import type { HostCapabilities, VmInfo } from './capabilities.js';
import type { PlanBuilder } from './plan-types.js';
import { hardwarePmuName } from './probe-counters.js';
import { reasons } from './reasons.js';

/** Software events every kernel counts. */
export const softwareEvents = ['task-clock', 'context-switches', 'cpu-migrations', 'page-faults'];
/** Generic events every hardware PMU maps (Intel: 2 fixed + 3 general counters, no multiplexing). */
export const hardwareEvents = ['cycles', 'instructions', 'cache-references', 'cache-misses', 'branch-misses'];
/** Per cgroup every event is repeated per VM, so keep the list short. */
const cgroupEvents = { software: ['task-clock', 'context-switches'], hardware: ['cycles', 'instructions'] };

/** Whether perf may do what needs `perf_event_paranoid ≤ level` for this user. */
export function perfAllows(caps: HostCapabilities, level: number): boolean {
  return caps.root || (caps.perf?.paranoid !== undefined && caps.perf.paranoid <= level);
}

/** `perf stat -I <ms> -x, <mode> -e <events> [extra] -o <out> -- sleep <s>`: interval CSV (TRACE-FORMATS.md §1.2). */
export function perfStat(b: PlanBuilder, recorder: string, output: string, mode: string[], events: string[], extra: string[] = []): void {
  const { intervalMs, durationSeconds } = b.options;
  b.add({
    kind: 'command', recorder, phase: 'record', output, stdout: false,
    argv: [b.caps.tools.perf!, 'stat', '-I', String(intervalMs), '-x,', ...mode, '-e', events.join(','), ...extra,
      '-o', b.path(output), '--', 'sleep', String(durationSeconds)],
  }, { format: 'perf-stat-csv' });
}

/** Why hardware events would read `<not supported>` here. */
export function noPmuReason(caps: HostCapabilities): string {
  const pmus = caps.perf?.pmus ?? [];
  const detail = pmus.some((p) => hardwarePmuName.test(p)) ? reasons.pmuNotSupported() : reasons.pmuListed(pmus);
  const why = caps.hypervisor === 'xen' ? reasons.pmuWhyXen() : caps.nested ? reasons.pmuWhyNested() : '';
  return reasons.noHardwarePmu(detail, why);
}

/** Per qemu thread (`--per-thread -p`): vCPU threads become `vcpu` samples via bundle.json's vcpu_tids. */
function planThreads(b: PlanBuilder, vms: readonly VmInfo[], hardware: string[]): void {
  const { caps } = b;
  const mine = vms.filter((vm) => caps.root || vm.uid === caps.uid);
  for (const vm of vms) if (!mine.includes(vm)) b.skip('perf-threads', reasons.qemuOtherUser(vm.name, vm.uid ?? -1));
  if (mine.length === 0) return;
  const kvm = caps.tracefs?.kvmEvents ? ['kvm:kvm_exit', 'kvm:kvm_entry'] : [];
  perfStat(b, 'perf-threads', 'threads.csv', ['--per-thread', '-p', mine.map((vm) => vm.pid).join(',')],
    [...softwareEvents, ...hardware, ...kvm]);
}

/**
 * Per VM cgroup (`-a -G`, §1.5): `-G` binds one cgroup to each event in order, so the event list
 * is repeated per VM and each cgroup repeated per event (`-e a,b,a,b -G vm1,vm1,vm2,vm2`).
 */
function planCgroups(b: PlanBuilder, vms: readonly VmInfo[], hardware: boolean): void {
  const { caps } = b;
  if (!perfAllows(caps, 0)) {
    b.skip('perf-cgroups', reasons.perfSystemWide(caps.perf?.paranoid, 'per-cgroup counters'));
    return;
  }
  const grouped = vms.filter((vm) => vm.cgroup !== undefined);
  for (const vm of vms) if (vm.cgroup === undefined) b.skip('perf-cgroups', vm.cgroupProblem ?? reasons.cgroupNone(vm.name));
  if (grouped.length === 0) return;
  const events = [...cgroupEvents.software, ...(hardware ? cgroupEvents.hardware : [])];
  perfStat(b, 'perf-cgroups', 'cgroups.csv', ['-a'], grouped.flatMap(() => events),
    ['-G', grouped.flatMap((vm) => events.map(() => vm.cgroup!)).join(',')]);
}

/**
 * perf counters: per CPU (software, hardware when a PMU counts, `msr/*` and RAPL `power/*`
 * events), and on KVM per QEMU thread and per VM cgroup. In Xen dom0 perf sees dom0's vCPUs
 * only, so nothing is planned here (planXen counts dom0's backend threads).
 */
export function planPerf(b: PlanBuilder): void {
  const { caps } = b;
  if (caps.hypervisor === 'xen') {
    b.skip('perf-percpu', reasons.percpuXen());
    b.skip('perf-threads', reasons.perThreadXen());
    return;
  }
  const perf = caps.perf;
  if (perf === undefined) return b.skip('perf', reasons.perfMissing());
  if (!caps.root && perf.paranoid !== undefined && perf.paranoid >= 3) return b.skip('perf', reasons.perfDisabled(perf.paranoid));
  if (!perf.hardwarePmu) b.skip('hardware-counters', noPmuReason(caps));
  const hardware = perf.hardwarePmu ? hardwareEvents : [];
  if (perfAllows(caps, 0)) {
    perfStat(b, 'perf-percpu', 'percpu.csv', ['-A', '-a'], [...softwareEvents, ...hardware,
      ...perf.msrEvents.map((e) => `msr/${e}/`), ...perf.powerEvents.map((e) => `power/${e}/`)]);
  } else b.skip('perf-percpu', reasons.perfSystemWide(perf.paranoid, 'per-CPU counters'));
  if (caps.hypervisor !== 'kvm') return;
  const vms = b.selectedVms.filter((vm) => vm.pid !== undefined);
  if (vms.length === 0) {
    b.skip('perf-threads', reasons.noQemu());
    b.skip('perf-cgroups', reasons.noQemu());
    return;
  }
  planThreads(b, vms, hardware);
  planCgroups(b, vms, perf.hardwarePmu);
}
