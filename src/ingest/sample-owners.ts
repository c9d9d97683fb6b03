import { cgroupPart, decodeVmCgroup, normalizeCgroup, type CgroupPart } from './cgroup-path.js';
import { kvmVcpuEntity } from './kvm-event-bins.js';
import { threadRoleFromName } from './qemu-threads.js';
import { xenDomid, type VmIdentity } from './vm-identity.js';
import { isGuestDomain, xenBackendDomid } from './xen-names.js';

/**
 * How a derived `samples` row was obtained (`samples.derivation`; NULL = measured as recorded):
 * - `per-thread`: perf per-thread counts of a VM's threads (vCPU threads → its vCPUs; all → the VM);
 * - `per-vcpu`: measured per-vCPU counts summed per VM (Xen `d<D>v<V>`, KVM `<vm>/vcpu<n>` bins);
 * - `cgroup`: perf `-G` counts of a VM's cgroup (libvirt `vcpu<N>` sub-cgroups → its vCPUs);
 * - `residency-split`: per-CPU counts split among the vCPUs resident on that CPU, by overlap;
 * - `backend`: Xen dom0 backend threads (blkback/netback) counted inside dom0, per guest they
 *   serve: the I/O work done for the VM outside its vCPUs, not the VM's own work.
 */
export type Derivation = 'per-thread' | 'per-vcpu' | 'cgroup' | 'residency-split' | 'backend';

/** Where the counts of one measured series go. */
export interface SampleOwner {
  scope: 'vm' | 'vcpu' | 'host';
  entity: string;
  derivation: Derivation;
  /**
   * Only used when the VM has no non-fallback series of the same event in the same trace: the
   * VM total from libvirt sub-cgroups when the VM's own cgroup was not measured.
   */
  fallback: boolean;
}

/** Entity of the host share that no VM ran (`scope` `host`). */
export const UNATTRIBUTED = 'unattributed';

/** Lookups from thread ids, process ids, domain ids and cgroups to VMs. */
export interface VmIndex {
  byTid: ReadonlyMap<number, { vm: string; vcpu: number | undefined }>;
  byPid: ReadonlyMap<number, string>;
  byDomid: ReadonlyMap<number, string>;
  byCgroup: ReadonlyMap<string, string>;
  /** The recording's only VM, if it has exactly one. */
  only: string | undefined;
}

/** Builds the lookups of `vms` (the first VM wins when two claim the same id). */
export function indexVms(vms: readonly VmIdentity[]): VmIndex {
  const byTid = new Map<number, { vm: string; vcpu: number | undefined }>();
  const byPid = new Map<number, string>();
  const byDomid = new Map<number, string>();
  const byCgroup = new Map<string, string>();
  const first = <K>(m: Map<K, string>, k: K | undefined, vm: string): void => {
    if (k !== undefined && !m.has(k)) m.set(k, vm);
  };
  for (const v of vms) {
    for (const t of v.threads) if (!byTid.has(t.tid)) byTid.set(t.tid, { vm: v.name, vcpu: t.role === 'vcpu' ? t.vcpu : undefined });
    first(byPid, v.pid, v.name);
    first(byDomid, v.domid, v.name);
    first(byCgroup, v.cgroup, v.name);
  }
  return { byTid, byPid, byDomid, byCgroup, only: vms.length === 1 ? vms[0]!.name : undefined };
}

const owner = (scope: SampleOwner['scope'], entity: string, derivation: Derivation, fallback = false): SampleOwner =>
  ({ scope, entity, derivation, fallback });

function cgroupOwners(entity: string, index: VmIndex): SampleOwner[] {
  const path = normalizeCgroup(entity);
  let vm = index.byCgroup.get(path);
  let part: CgroupPart | null = null;
  if (vm === undefined) {
    for (const [cgroup, name] of index.byCgroup) {
      if (!path.startsWith(`${cgroup}/`)) continue;
      vm = name;
      part = cgroupPart(path.slice(cgroup.length + 1));
      break;
    }
  }
  if (vm === undefined) {
    const d = decodeVmCgroup(path);
    if (!d) return [];
    vm = d.vm;
    part = d.part;
  }
  if (!part) return [owner('vm', vm, 'cgroup')];
  const total = owner('vm', vm, 'cgroup', true);
  return part.kind === 'vcpu' ? [owner('vcpu', kvmVcpuEntity(vm, part.index), 'cgroup'), total] : [total];
}

function threadOwners(comm: string, tid: number, index: VmIndex): SampleOwner[] {
  const known = index.byTid.get(tid);
  const role = threadRoleFromName(comm);
  const vcpu = known ? known.vcpu : role?.kind === 'vcpu' && index.only !== undefined ? role.index : undefined;
  let vm = known?.vm ?? index.byPid.get(tid);
  if (vm === undefined && role) {
    vm = role.kind === 'vhost' || role.kind === 'kvm-pit' ? index.byPid.get(role.owner) : index.only;
  }
  if (vm === undefined) return [];
  const total = owner('vm', vm, 'per-thread');
  return vcpu === undefined ? [total] : [owner('vcpu', kvmVcpuEntity(vm, vcpu), 'per-thread'), total];
}

/**
 * The derived series a measured series feeds, from its `scope` and `entity`:
 * - `cgroup`: the VM whose cgroup it is (bundle/listing `cgroup`, or a decoded libvirt path);
 *   a `vcpu<N>` sub-cgroup → that vCPU, and the VM (as fallback);
 * - `vcpu` `d<D>v<V>` (Xen): the VM of domain D; the idle domain → host `unattributed`;
 * - `vcpu` `<vm>/vcpu<n>` (KVM event bins): the VM;
 * - `thread`/`vcpu` `<comm>-<tid>` (perf --per-thread): by thread id (a VM's vCPU thread → that
 *   vCPU and the VM; its other threads → the VM), else by name: `vhost-<pid>`/`kvm-pit/<pid>` →
 *   the VM of that qemu pid; `CPU <n>/KVM`, `IO …`, `qemu-system-*` → the recording's only VM;
 *   a Xen dom0 backend thread (`blkback.<domid>.…`, `vif<domid>.…`) → `backend` of that domain's VM.
 * Anything else feeds nothing (host threads stay as measured).
 */
export function sampleOwners(scope: string, entity: string, index: VmIndex): SampleOwner[] {
  if (scope === 'cgroup') return cgroupOwners(entity, index);
  if (scope !== 'vcpu' && scope !== 'thread') return [];
  if (scope === 'vcpu') {
    const domid = xenDomid(entity);
    if (domid !== undefined) {
      return [isGuestDomain(domid)
        ? owner('vm', index.byDomid.get(domid) ?? `d${domid}`, 'per-vcpu')
        : owner('host', UNATTRIBUTED, 'per-vcpu')];
    }
    const bin = /^(.+)\/vcpu\d+$/.exec(entity);
    if (bin) return [owner('vm', bin[1]!, 'per-vcpu')];
  }
  const m = /^(.*)-(\d+)$/.exec(entity);
  if (!m) return [];
  const served = xenBackendDomid(m[1]!);
  if (served !== undefined) return isGuestDomain(served) ? [owner('vm', index.byDomid.get(served) ?? `d${served}`, 'backend')] : [];
  return threadOwners(m[1]!, Number(m[2]), index);
}
