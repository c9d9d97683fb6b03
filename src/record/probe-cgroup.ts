import { decodeVmCgroup, normalizeCgroup } from '../ingest/cgroup-path.js';
import type { HostEnv } from './host-env.js';
import { reasons } from './reasons.js';

/** Where the cgroup hierarchy perf uses is mounted: the v1 perf_event hierarchy, else cgroup v2. */
async function cgroupMount(env: HostEnv, v1: boolean): Promise<string | undefined> {
  for (const line of ((await env.readFile('/proc/mounts')) ?? '').split('\n')) {
    const [, mountpoint, type, options = ''] = line.split(' ');
    if (v1 ? type === 'cgroup' && options.split(',').includes('perf_event') : type === 'cgroup2') return mountpoint;
  }
  return undefined;
}

/**
 * The cgroup `perf -G` should name for the VM of QEMU process `pid`: libvirt's VM cgroup (the
 * `emulator`/`vcpuN` leaf stripped: perf counts descendants), or any other cgroup that holds
 * this process alone. perf prefers a v1 perf_event hierarchy over cgroup v2, and so does this.
 * The path is relative to the hierarchy root, without a leading slash, as perf takes it.
 */
export async function vmCgroup(env: HostEnv, pid: number, vm: string): Promise<{ cgroup?: string; problem?: string }> {
  const lines = ((await env.readFile(`/proc/${pid}/cgroup`)) ?? '').split('\n');
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('perf_event'));
  const line = v1 ?? lines.find((l) => l.startsWith('0::'));
  if (line === undefined) return { problem: reasons.cgroupNone(vm) };
  const libvirt = decodeVmCgroup(line);
  if (libvirt !== null) return { cgroup: libvirt.cgroup };
  const path = `/${normalizeCgroup(line)}`;
  const mount = await cgroupMount(env, v1 !== undefined);
  if (mount === undefined) return { problem: reasons.cgroupNone(vm) };
  const procsFile = `${mount}${path.replace(/\/$/, '')}/cgroup.procs`;
  const text = await env.readFile(procsFile);
  if (text === undefined) return { problem: reasons.cgroupUnreadable(vm, procsFile) };
  const procs = text.split('\n').filter((p) => /^\d+$/.test(p.trim())).map(Number);
  const others = procs.filter((p) => p !== pid).length;
  if (path !== '/' && procs.includes(pid) && others === 0) return { cgroup: path.slice(1) };
  return { problem: reasons.cgroupShared(vm, path, others) };
}
