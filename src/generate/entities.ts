import type { Rng } from './rng.js';
import type { Scenario } from './scenario.js';

/**
 * Everything the host scheduler places on pCPUs: guest vCPUs, the device-emulation threads
 * that work on a VM's behalf (QEMU iothread / vhost worker on KVM, dom0 vCPUs on Xen) and host
 * threads. Idle is not an entity: a pCPU with no segment is idle.
 */
export interface Entity {
  kind: 'vcpu' | 'io' | 'dom0' | 'host';
  /** Index of the owning VM in `scenario.vms`, or -1 (dom0 vCPUs, host threads). */
  vm: number;
  /** vCPU number for `vcpu` and `dom0`, else -1. */
  vcpu: number;
  /** Host thread id (KVM); 0 on Xen. */
  tid: number;
  /** Thread name as the kernel reports it (`CPU 0/KVM`, `vhost-4180`). */
  comm: string;
  prio: number;
  /** Xen domain id (0 = dom0), -1 on KVM. */
  domid: number;
  /** pCPUs it may run on, or null for any. */
  affinity: Int32Array | null;
  weight: number;
  /** Woken backend work runs before ordinary vCPUs (Xen's BOOST, CFS wake-up preemption). */
  boost: boolean;
}

/** How the recorded tools name a VM. */
export interface VmIdentity {
  name: string;
  /** Xen domain id. */
  domid: number | undefined;
  /** QEMU process id (KVM). */
  pid: number | undefined;
  /** cgroup path as `perf stat -G` prints it (KVM). */
  cgroup: string | undefined;
  vcpuEntities: number[];
  /** Entity of its QEMU iothread/vhost worker (KVM), else -1. */
  ioEntity: number;
  /** Xen: thread id in dom0 of the block backend serving it (`blkback.<domid>.xvda`), when it does I/O. */
  backendTid: number | undefined;
}

export interface Cast {
  entities: Entity[];
  vms: VmIdentity[];
  /** dom0's vCPU entities (Xen), in vCPU order. */
  dom0: number[];
}

/** systemd's unit-name escaping of a libvirt domain name (`-` → `\x2d`, §5.6). */
function systemdEscape(name: string): string {
  return name.replace(/[^A-Za-z0-9_.:]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Builds the entities of `scenario`; `rng` picks QEMU process ids. */
export function buildCast(scenario: Scenario, rng: Rng): Cast {
  const kvm = scenario.hypervisor === 'kvm';
  const entities: Entity[] = [];
  const vms: VmIdentity[] = [];
  const dom0: number[] = [];
  if (!kvm) {
    for (let i = 0; i < scenario.dom0.vcpus; i++) {
      dom0.push(entities.length);
      entities.push({ kind: 'dom0', vm: -1, vcpu: i, tid: 0, comm: `d0v${i}`, prio: 120, domid: 0, affinity: null,
        weight: 256, boost: true });
    }
  }
  scenario.vms.forEach((vm, v) => {
    const affinity = vm.affinity ? Int32Array.from(vm.affinity) : null;
    // libvirt numbers running domains from 1; QEMU pids grow with start order
    const pid = kvm ? 2000 + 1000 * v + rng.int(500) : undefined;
    const domid = kvm ? undefined : v + 1;
    const vcpuEntities: number[] = [];
    for (let i = 0; i < vm.vcpus; i++) {
      vcpuEntities.push(entities.length);
      entities.push({
        kind: 'vcpu', vm: v, vcpu: i, tid: pid === undefined ? 0 : pid + 6 + 5 * i,
        comm: kvm ? `CPU ${i}/KVM` : `d${domid}v${i}`, prio: 120, domid: domid ?? -1, affinity, weight: vm.weight,
        boost: false,
      });
    }
    let ioEntity = -1;
    if (pid !== undefined) {
      ioEntity = entities.length;
      const vhost = vm.io_emulator === 'vhost';
      entities.push({
        kind: 'io', vm: v, vcpu: -1, tid: vhost ? pid + 6 + 5 * vm.vcpus + 3 : pid + 2,
        comm: vhost ? `vhost-${pid}` : 'IO iothread0', prio: 120, domid: -1, affinity, weight: vm.weight, boost: true,
      });
    }
    const doesIo = vm.tasks.some((t) => t.phases.some((p) => p.kind === 'io'));
    vms.push({
      name: vm.name, domid, pid, vcpuEntities, ioEntity,
      // dom0 kernel threads start early, before most of the toolstack
      backendTid: domid !== undefined && doesIo ? 1000 + 17 * domid : undefined,
      cgroup: pid === undefined ? undefined : `machine.slice/machine-qemu${systemdEscape(`-${v + 1}-${vm.name}`)}.scope`,
    });
  });
  for (const h of scenario.host_threads) {
    entities.push({ kind: 'host', vm: -1, vcpu: -1, tid: h.pid, comm: h.comm, prio: h.prio, domid: -1,
      affinity: h.cpu === undefined ? null : Int32Array.of(h.cpu), weight: 256, boost: false });
  }
  return { entities, vms, dom0 };
}
