import { messages } from '../messages.js';
import type { Bundle, BundleVm } from './bundle.js';
import { decodeVmCgroup, normalizeCgroup, type VmCgroup } from './cgroup-path.js';
import { parseQemuCmdlines, type QemuCommand } from './qemu-cmdline.js';
import { threadRoleFromName } from './qemu-threads.js';
import { UNKNOWN_VM } from './sched-switch-spans.js';
import { parseThreadListing, parseXlList, type ThreadRow } from './vm-listings.js';
import { isGuestDomain } from './xen-names.js';

/** How a fact about a VM was learnt, from the most to the least direct. */
export type VmRule = 'bundle.json' | 'cgroup-path' | 'qemu-name' | 'xl-list' | 'thread-listing' | 'xen-domid' | 'trace-name';

/** One piece of evidence: the rule and what it read, for the user to check. */
export interface VmSource {
  rule: VmRule;
  detail: string;
}

/** A host thread working for a VM: its main (emulator) thread, a vCPU thread, or a helper. */
export interface VmThread {
  tid: number;
  role: 'main' | 'vcpu' | 'helper';
  /** vCPU index, for role `vcpu`. */
  vcpu?: number;
}

/** One VM of a recording and how vheat knows it. */
export interface VmIdentity {
  name: string;
  /** False only when bundle.json names the VM. */
  inferred: boolean;
  sources: VmSource[];
  /** Xen domain id, or libvirt's domain id on KVM. */
  domid?: number;
  /** QEMU process id (KVM). */
  pid?: number;
  /** The VM's cgroup as perf `-G` names it. */
  cgroup?: string;
  vcpus?: number;
  threads: VmThread[];
}

/** A small text file of the bundle that no parser loads (a thread listing, a command line…). */
export interface SideFile {
  /** Name inside the bundle. */
  name: string;
  text: string;
}

function fromBundle(vm: BundleVm): VmIdentity {
  const threads: VmThread[] = [
    ...(vm.pid === undefined ? [] : [{ tid: vm.pid, role: 'main' as const }]),
    ...(vm.vcpu_tids ?? []).map((tid, vcpu) => ({ tid, role: 'vcpu' as const, vcpu })),
    ...(vm.io_tids ?? []).map((tid) => ({ tid, role: 'helper' as const })),
  ];
  return {
    name: vm.name, inferred: false, sources: [{ rule: 'bundle.json', detail: messages.vmFromBundle() }], threads,
    ...(vm.domid === undefined ? {} : { domid: vm.domid }),
    ...(vm.pid === undefined ? {} : { pid: vm.pid }),
    ...(vm.cgroup === undefined ? {} : { cgroup: normalizeCgroup(vm.cgroup) }),
    ...(vm.vcpus === undefined ? {} : { vcpus: vm.vcpus }),
  };
}

/** Threads of one listing that share a VM: by libvirt cgroup, else process id, else cgroup. */
function groupKey(row: ThreadRow, decoded: VmCgroup | null): string {
  if (decoded) return `libvirt\u0000${decoded.cgroup}`;
  if (row.pid !== undefined) return `pid\u0000${row.pid}`;
  return `cgroup\u0000${normalizeCgroup(row.cgroup ?? '')}`;
}

/** The vCPU a listed thread runs: by name (`CPU 1/KVM`), else by libvirt sub-cgroup (`…/vcpu1`). */
function vcpuOf(row: ThreadRow): number | undefined {
  const role = threadRoleFromName(row.comm);
  if (role?.kind === 'vcpu') return role.index;
  const part = row.cgroup === undefined ? null : decodeVmCgroup(row.cgroup)?.part;
  return part?.kind === 'vcpu' ? part.index : undefined;
}

/** The VMs a thread listing shows: each group of threads holding a qemu thread. */
function listingVms(rows: readonly ThreadRow[], file: string): VmIdentity[] {
  const groups = new Map<string, { decoded: VmCgroup | null; rows: ThreadRow[] }>();
  for (const row of rows) {
    const decoded = row.cgroup === undefined ? null : decodeVmCgroup(row.cgroup);
    const key = groupKey(row, decoded);
    let g = groups.get(key);
    if (!g) groups.set(key, g = { decoded, rows: [] });
    g.rows.push(row);
  }
  const out: VmIdentity[] = [];
  for (const { decoded, rows: members } of groups.values()) {
    const qemu = members.filter((r) => r.comm.startsWith('qemu-system') && vcpuOf(r) === undefined);
    const main = members.find((r) => r.pid === r.tid) ?? qemu.sort((a, b) => a.tid - b.tid)[0];
    const threads = members.map((r): VmThread => {
      const vcpu = vcpuOf(r);
      if (vcpu !== undefined) return { tid: r.tid, role: 'vcpu', vcpu };
      return { tid: r.tid, role: r === main ? 'main' : 'helper' };
    });
    const vcpus = threads.filter((t) => t.role === 'vcpu').length;
    if (!decoded && !main && vcpus === 0) continue;
    const plain = normalizeCgroup(members[0]!.cgroup ?? '');
    const cgroup = decoded?.cgroup ?? (plain === '' ? undefined : plain);
    const summary = messages.vmThreadSummary(main?.tid, threads.filter((t) => t.role === 'vcpu').map((t) => t.tid),
      threads.filter((t) => t.role === 'helper').length, cgroup);
    out.push({
      name: decoded?.vm ?? '', inferred: true, threads,
      sources: [
        ...(decoded ? [{ rule: 'cgroup-path' as const, detail: messages.vmFromCgroup(decoded.component) }] : []),
        { rule: 'thread-listing', detail: messages.vmFromThreads(file, summary) },
      ],
      ...(decoded?.domid === undefined ? {} : { domid: decoded.domid }),
      ...(main ? { pid: main.tid } : {}),
      ...(cgroup === undefined ? {} : { cgroup }),
      ...(vcpus > 0 ? { vcpus } : {}),
    });
  }
  return out;
}

/**
 * Names the VM a QEMU command belongs to (by pid, by name, or the one unnamed VM when there is
 * one command without a pid), or adds it. Commands without `-name` add nothing.
 */
function mergeCommand(vms: VmIdentity[], c: QemuCommand & { file: string }, soleUnnamed: boolean): void {
  if (c.name === undefined) return;
  const source: VmSource = { rule: 'qemu-name', detail: messages.vmFromQemuName(c.name, c.file) };
  const unnamed = vms.filter((v) => v.name === '');
  const target = c.pid !== undefined
    ? vms.find((v) => v.pid === c.pid || v.threads.some((t) => t.tid === c.pid))
    : vms.find((v) => v.name === c.name) ?? (soleUnnamed && unnamed.length === 1 ? unnamed[0] : undefined);
  if (target) {
    if (target.name === '') target.name = c.name;
    target.sources.unshift(source);
    target.pid ??= c.pid;
  } else {
    vms.push({ name: c.name, inferred: true, sources: [source], threads: [], ...(c.pid === undefined ? {} : { pid: c.pid }) });
  }
}

/**
 * The VMs of one recording before its traces are read: bundle.json `vms` when it lists any
 * (then nothing is inferred), otherwise what the bundle's side files show — thread listings
 * (`tid comm cgroup`, grouped by libvirt cgroup, process id or cgroup), QEMU command lines
 * (`-name`, in files named `*cmdline*`), and `xl list` (Xen names with domain ids). A VM with no name gets the name the
 * trace parsers would give it: `qemu-<pid>`, else `vm`.
 */
export function identifyVms(bundle: Bundle | undefined, files: readonly SideFile[]): VmIdentity[] {
  if (bundle?.vms?.length) return bundle.vms.map(fromBundle);
  const vms: VmIdentity[] = [];
  const commands: (QemuCommand & { file: string })[] = [];
  for (const f of files) {
    const threads = parseThreadListing(f.text);
    const xl = threads ? null : parseXlList(f.text);
    if (threads) vms.push(...listingVms(threads, f.name));
    else if (xl) {
      for (const d of xl) {
        vms.push({ name: d.name, inferred: true, domid: d.domid, vcpus: d.vcpus, threads: [],
          sources: [{ rule: 'xl-list', detail: messages.vmFromXlList(d.domid, f.name) }] });
      }
    } else if (/cmdline/i.test(f.name)) {
      commands.push(...parseQemuCmdlines(f.text, f.name).map((c) => ({ ...c, file: f.name })));
    }
  }
  const withoutPid = commands.filter((c) => c.pid === undefined).length;
  for (const c of commands) mergeCommand(vms, c, withoutPid === 1);
  for (const v of vms) if (v.name === '') v.name = v.pid === undefined ? 'vm' : `qemu-${v.pid}`;
  return vms;
}

/** `d<domid>` (a Xen residency name) or `d<domid>v<vcpu>` (a Xen vCPU entity): the domain id. */
export function xenDomid(text: string): number | undefined {
  const m = /^d(\d+)(?:v\d+)?$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** What the loaded traces of a recording show about VMs. */
export interface SeenInTraces {
  /** VM names the parsers wrote (residency, io, `vm` samples, `<vm>/vcpu<n>` entities). */
  names: readonly string[];
  /** cgroup entities of `cgroup` samples. */
  cgroups: readonly string[];
  /** Xen vCPU entities (`d<domid>v<vcpu>`). */
  xenVcpus: readonly string[];
}

/**
 * Completes `vms` with what the loaded traces show: VMs of libvirt cgroup paths, Xen domain ids,
 * names the tools reported (xentop, Kepler) and names the parsers made up (`qemu-<pid>`, `vm`,
 * `d<domid>`), so every VM in the tables is listed with how it was named. Returns a new list; `vms` is not changed.
 */
export function completeVms(vms: readonly VmIdentity[], seen: SeenInTraces): VmIdentity[] {
  const out = vms.map((v) => ({ ...v, sources: [...v.sources], threads: [...v.threads] }));
  for (const path of seen.cgroups) {
    const d = decodeVmCgroup(path);
    if (!d) continue;
    const vm = out.find((v) => v.name === d.vm) ?? out.find((v) => v.cgroup === d.cgroup);
    const source: VmSource = { rule: 'cgroup-path', detail: messages.vmFromCgroup(d.component) };
    if (!vm) {
      out.push({ name: d.vm, inferred: true, sources: [source], threads: [], cgroup: d.cgroup,
        ...(d.domid === undefined ? {} : { domid: d.domid }) });
    } else if (vm.cgroup === undefined) {
      vm.cgroup = d.cgroup;
      if (vm.domid === undefined && d.domid !== undefined) vm.domid = d.domid;
      if (vm.inferred) vm.sources.push(source);
    }
  }
  for (const text of [...seen.xenVcpus, ...seen.names]) {
    const domid = xenDomid(text);
    if (domid === undefined || !isGuestDomain(domid) || out.some((v) => v.domid === domid || v.name === `d${domid}`)) continue;
    out.push({ name: `d${domid}`, inferred: true, domid, threads: [], sources: [{ rule: 'xen-domid', detail: messages.vmFromXenDomid(domid) }] });
  }
  for (const name of seen.names) {
    if (out.some((v) => v.name === name)) continue;
    const m = /^qemu-(\d+)$/.exec(name);
    const pid = m ? Number(m[1]) : undefined;
    const detail = m || name === UNKNOWN_VM ? messages.vmFromMadeUpName(pid) : messages.vmFromTraceName(name);
    out.push({ name, inferred: true, threads: [], sources: [{ rule: 'trace-name', detail }], ...(pid === undefined ? {} : { pid }) });
  }
  return out;
}

/**
 * The identity as bundle.json `vms` entries, for the parsers (`parseOptionsFor`), plus `vmName`
 * when the recording has exactly one inferred VM and it is not a Xen domain, so the KVM parsers
 * name qemu threads missing from its thread list after it instead of `qemu-<pid>` or `vm`.
 */
export function identityOptions(vms: readonly VmIdentity[]): { vms: BundleVm[]; vmName?: string } {
  const list = vms.map((v): BundleVm => {
    const vcpu = v.threads.filter((t) => t.role === 'vcpu').sort((a, b) => a.vcpu! - b.vcpu!);
    const dense = vcpu.every((t, i) => t.vcpu === i);
    const helpers = v.threads.filter((t) => t.role === 'helper').map((t) => t.tid);
    return {
      name: v.name,
      ...(v.domid === undefined ? {} : { domid: v.domid }),
      ...(v.pid === undefined ? {} : { pid: v.pid }),
      ...(v.cgroup === undefined ? {} : { cgroup: v.cgroup }),
      ...(v.vcpus === undefined ? {} : { vcpus: v.vcpus }),
      ...(vcpu.length > 0 && dense ? { vcpu_tids: vcpu.map((t) => t.tid) } : {}),
      ...(helpers.length > 0 ? { io_tids: helpers } : {}),
    };
  });
  const only = vms.length === 1 ? vms[0]! : undefined;
  const xen = only?.sources.some((s) => s.rule === 'xl-list' || s.rule === 'xen-domid');
  return { vms: list, ...(only?.inferred && !xen ? { vmName: only.name } : {}) };
}
