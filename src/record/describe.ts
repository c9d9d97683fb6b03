import { join } from 'node:path';
import { toolNames, type HostCapabilities, type VmInfo } from './capabilities.js';
import type { CommandStep, RecordingPlan } from './plan-types.js';

/** One shell word: bare when it holds only safe characters, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command step as a shell line (`> file` when the output is its stdout). */
export function shellLine(step: CommandStep, outDir: string): string {
  const words = step.argv.map(shellQuote).join(' ');
  return step.stdout ? `${words} > ${shellQuote(join(outDir, step.output))}` : words;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeVm(vm: VmInfo): string {
  const parts = [
    vm.domid !== undefined ? `domid ${vm.domid}` : '',
    vm.pid !== undefined ? `pid ${vm.pid}` : '',
    vm.vcpus !== undefined ? `${plural(vm.vcpus, 'vCPU')}${vm.vcpuTids ? ` (tids ${vm.vcpuTids.join(' ')})` : ''}` : '',
    vm.ioTids ? `io tids ${vm.ioTids.join(' ')}` : '',
    vm.backendTids ? `dom0 backend tids ${vm.backendTids.join(' ')}` : '',
    vm.cgroup !== undefined ? `cgroup ${vm.cgroup}` : '',
  ];
  return `vm ${vm.name}: ${parts.filter(Boolean).join(', ')}`;
}

/** The probe's findings, one line per subject. */
export function describeCapabilities(caps: HostCapabilities): string[] {
  const kind = caps.hypervisor === 'xen' ? (caps.xenDom0 ? 'Xen dom0' : 'Xen domU') : caps.hypervisor === 'kvm' ? 'KVM' : 'no hypervisor';
  const t = caps.topology;
  const perf = caps.perf;
  const present = toolNames.filter((n) => caps.tools[n] !== null);
  const missing = toolNames.filter((n) => caps.tools[n] === null);
  const zones = caps.powercap.zones.map((z) => `${z.zone} ${z.name}`).join(', ');
  return [
    `host ${caps.host}: ${kind}${caps.nested ? ', itself a virtual machine' : ''}, ${caps.root ? 'root' : `uid ${caps.uid}`}${caps.kernel ? `, kernel ${caps.kernel}` : ''}`,
    `cpus: ${caps.cpus}${t ? ` (${plural(t.sockets, 'socket')} × ${plural(t.coresPerSocket, 'core')} × ${plural(t.threadsPerCore, 'thread')})` : ''}${caps.cpuModel ? `, ${caps.cpuModel}` : ''}`,
    `tsc: ${caps.tsc ? `${caps.tsc.hz} Hz (${caps.tsc.source})` : 'unknown'}`,
    perf
      ? `perf: ${perf.version ?? 'version unknown'}, perf_event_paranoid ${perf.paranoid ?? 'unreadable'}, hardware PMU ${yesNo(perf.hardwarePmu)}, ` +
        `msr events ${perf.msrEvents.join(' ') || 'none'}, RAPL events ${perf.powerEvents.join(' ') || 'none'}`
      : 'perf: not installed',
    caps.tracefs
      ? `tracefs: ${caps.tracefs.path} (sched_switch ${yesNo(caps.tracefs.schedSwitch)}, kvm events ${yesNo(caps.tracefs.kvmEvents)})`
      : 'tracefs: not mounted',
    `powercap: ${zones ? `${zones} (energy_uj ${caps.powercap.readable ? 'readable' : 'not readable'})` : 'no RAPL zones'}`,
    `msr device: ${yesNo(caps.msrDevice)}`,
    `tools: ${present.join(' ') || 'none'}${missing.length ? ` (missing: ${missing.join(' ')})` : ''}`,
    ...caps.vms.map(describeVm),
    ...caps.notes.map((n) => `note: ${n}`),
  ];
}

/** The plan as a shell script: recorders in the background, then the post steps; built-in steps as comments. */
export function describePlan(plan: RecordingPlan): string[] {
  const lines = [
    `# ${plural(plan.durationSeconds, 'second')}, counters every ${plan.intervalMs} ms, into ${plan.outDir}`,
    `mkdir -p ${shellQuote(plan.outDir)}`,
  ];
  for (const step of plan.steps) {
    if (step.phase !== 'record') continue;
    lines.push(step.kind === 'command'
      ? `${shellLine(step, plan.outDir)} &`
      : `# built-in powercap reader: ${step.zones.join(' ')} every ${step.intervalMs} ms for ${step.durationSeconds} s > ${join(plan.outDir, step.output)}`);
  }
  lines.push('wait');
  for (const step of plan.steps) if (step.phase === 'post' && step.kind === 'command') lines.push(shellLine(step, plan.outDir));
  lines.push(`# then vheat writes ${join(plan.outDir, 'bundle.json')}`);
  return lines;
}
