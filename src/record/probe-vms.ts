import { parseQemuCmdlines } from '../ingest/qemu-cmdline.js';
import { threadRoleFromName } from '../ingest/qemu-threads.js';
import { parseXlList } from '../ingest/vm-listings.js';
import { xenBackendDomid } from '../ingest/xen-names.js';
import type { VmInfo } from './capabilities.js';
import type { HostEnv } from './host-env.js';
import { vmCgroup } from './probe-cgroup.js';
import { reasons } from './reasons.js';

const qemuComm = /^qemu-(system-|kvm)/;

/** vCPU count from `-smp N` or `-smp cpus=N,…`. */
function smpCount(args: readonly string[]): number | undefined {
  const at = args.indexOf('-smp');
  const parts = at >= 0 ? (args[at + 1] ?? '').split(',') : [];
  const n = Number(parts.find((p) => /^\d+$/.test(p)) ?? parts.find((p) => p.startsWith('cpus='))?.slice(5));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const numeric = (names: readonly string[]): number[] => names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);

async function comm(env: HostEnv, path: string): Promise<string | undefined> {
  return (await env.readFile(`${path}/comm`))?.replace(/\n$/, '');
}

/** One QEMU process: name, owner, vCPU/I-O threads (by name, §5.5), cgroup (§5.6). */
async function qemuVm(env: HostEnv, pid: number, vhostWorkers: readonly { pid: number; owner: number }[],
  notes: string[]): Promise<VmInfo> {
  const cmdline = (await env.readFile(`/proc/${pid}/cmdline`)) ?? '';
  const args = cmdline.split('\0');
  const name = parseQemuCmdlines(cmdline, `/proc/${pid}/cmdline`)[0]?.name ?? `qemu-${pid}`;
  const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec((await env.readFile(`/proc/${pid}/status`)) ?? '')?.[1]);
  const vcpuTids: number[] = [];
  const ioTids = vhostWorkers.filter((w) => w.owner === pid).map((w) => w.pid);
  for (const tid of numeric(await env.listDir(`/proc/${pid}/task`))) {
    const role = threadRoleFromName((await comm(env, `/proc/${pid}/task/${tid}`)) ?? '');
    if (role?.kind === 'vcpu') vcpuTids[role.index] = tid;
    else if (role?.kind === 'iothread' || (role?.kind === 'vhost' && role.owner === pid)) ioTids.push(tid);
  }
  // `vcpu_tids` is indexed by vCPU number: keep it only when no index is missing.
  const named = vcpuTids.length > 0 && Object.keys(vcpuTids).length === vcpuTids.length;
  if (!named) notes.push(reasons.threadsUnnamed(name));
  const { cgroup, problem } = await vmCgroup(env, pid, name);
  const vcpus = named ? vcpuTids.length : smpCount(args);
  return {
    name, pid,
    ...(Number.isInteger(uid) ? { uid } : {}),
    ...(vcpus !== undefined ? { vcpus } : {}),
    ...(named ? { vcpuTids } : {}),
    ...(ioTids.length > 0 ? { ioTids: [...new Set(ioTids)].sort((a, b) => a - b) } : {}),
    ...(cgroup !== undefined ? { cgroup } : { cgroupProblem: problem! }),
  };
}

/** Running QEMU processes as VMs, by pid; `notes` receives findings such as unnamed threads. */
export async function probeQemuVms(env: HostEnv, notes: string[]): Promise<VmInfo[]> {
  const qemus: number[] = [];
  const vhostWorkers: { pid: number; owner: number }[] = [];
  for (const pid of numeric(await env.listDir('/proc'))) {
    const name = (await comm(env, `/proc/${pid}`)) ?? '';
    if (qemuComm.test(name)) qemus.push(pid);
    const role = threadRoleFromName(name);
    // kernels before 6.4 run vhost workers as kernel threads outside the QEMU process
    if (role?.kind === 'vhost') vhostWorkers.push({ pid, owner: role.owner });
  }
  const vms: VmInfo[] = [];
  for (const pid of qemus) vms.push(await qemuVm(env, pid, vhostWorkers, notes));
  return vms;
}

/**
 * `vms` with `backendTids`: dom0's backend kernel threads (`blkback.<domid>.<dev>`,
 * `vif<domid>.<n>-…`; each a process of its own) given to the guest whose domain id they name.
 */
export async function withXenBackends(env: HostEnv, vms: readonly VmInfo[]): Promise<VmInfo[]> {
  const byDomid = new Map<number, number[]>();
  for (const pid of numeric(await env.listDir('/proc'))) {
    const domid = xenBackendDomid((await comm(env, `/proc/${pid}`)) ?? '');
    if (domid === undefined) continue;
    if (!byDomid.has(domid)) byDomid.set(domid, []);
    byDomid.get(domid)!.push(pid);
  }
  return vms.map((vm) => {
    const tids = vm.domid === undefined ? undefined : byDomid.get(vm.domid);
    return tids ? { ...vm, backendTids: tids } : vm;
  });
}

/** Domains of `xl list` (Domain-0 included) as VMs; [] when the text is not `xl list` output. */
export function xlListVms(text: string): VmInfo[] {
  return (parseXlList(text) ?? []).map(({ name, domid, vcpus }) => ({ name, domid, vcpus }));
}
