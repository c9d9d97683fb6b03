import { toolNames, type HostCapabilities, type ToolName, type VmInfo } from './capabilities.js';
import type { HostEnv } from './host-env.js';
import { parseColonLines, parseCpuList, probeTsc, sysfsTopology, xlTopology } from './probe-cpu.js';
import { probePerf, probePowercap, probeTracefs } from './probe-counters.js';
import { probeQemuVms, withXenBackends, xlListVms } from './probe-vms.js';
import { reasons } from './reasons.js';

async function tools(env: HostEnv): Promise<Record<ToolName, string | null>> {
  const out = {} as Record<ToolName, string | null>;
  for (const tool of toolNames) out[tool] = (await env.which(tool)) ?? null;
  return out;
}

/** `xl <args>` output as text, when xl exists and answers. */
async function xl(env: HostEnv, path: string | null, args: string[]): Promise<string | undefined> {
  if (path === null) return undefined;
  const result = await env.run(path, args);
  return result.code === 0 ? result.stdout : undefined;
}

/**
 * What the host offers for recording, read without changing anything:
 *
 *   identity (hostname, uid, cpuinfo) → hypervisor (Xen dom0 / domU, /dev/kvm) → CPUs and TSC
 *   (xl info in dom0, else sysfs + dmesg) → tools on PATH → perf (paranoid, PMUs, RAPL events)
 *   → tracefs → powercap zones → msr device → VMs (xl list and dom0's backend threads, or QEMU processes)
 *
 * `env` is the host (`nodeHostEnv`) or a fake one in tests.
 */
export async function probeHost(env: HostEnv): Promise<HostCapabilities> {
  const notes: string[] = [];
  // 1. Identity: effective uid from /proc/self/status (`Uid: real effective saved fs`).
  const status = (await env.readFile('/proc/self/status')) ?? '';
  const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1] ?? -1);
  const cpuinfo = parseColonLines((await env.readFile('/proc/cpuinfo')) ?? '');
  const cpuModel = cpuinfo.get('model name');
  // 2. Hypervisor.
  const xenCaps = await env.readFile('/proc/xen/capabilities');
  const xenDom0 = xenCaps === undefined ? undefined : xenCaps.includes('control_d');
  const hypervisor = xenCaps !== undefined ? 'xen' : (await env.exists('/dev/kvm')) ? 'kvm' : 'none';
  const nested = xenCaps === undefined && (cpuinfo.get('flags') ?? '').split(' ').includes('hypervisor');
  if (hypervisor === 'none') notes.push(reasons.notAHypervisorHost());
  // 3. CPUs and TSC: dom0's sysfs shows dom0's vCPUs, so Xen's view comes from xl info.
  const found = await tools(env);
  const xlInfoText = xenDom0 ? await xl(env, found.xl, ['info']) : undefined;
  const xlInfo = xlInfoText === undefined ? undefined : parseColonLines(xlInfoText);
  const online = parseCpuList((await env.readFile('/sys/devices/system/cpu/online')) ?? '');
  const { cpus, topology } = xlInfo ? xlTopology(xlInfo) : { cpus: online.length, topology: await sysfsTopology(env, online) };
  const tsc = await probeTsc(env, xlInfo, cpuModel);
  if (tsc === undefined && hypervisor === 'xen') notes.push(reasons.tscUnknown());
  // 4. Counters, tracing, energy.
  const perf = found.perf === null ? undefined : await probePerf(env, found.perf);
  // 5. VMs.
  let vms: VmInfo[] = [];
  if (xenDom0) vms = await withXenBackends(env, xlListVms((await xl(env, found.xl, ['list'])) ?? ''));
  else if (hypervisor === 'kvm') vms = await probeQemuVms(env, notes);
  return {
    host: (await env.readFile('/proc/sys/kernel/hostname'))?.trim() || 'localhost',
    kernel: (await env.readFile('/proc/sys/kernel/osrelease'))?.trim(),
    uid,
    root: uid === 0,
    hypervisor,
    ...(xenDom0 !== undefined ? { xenDom0 } : {}),
    nested,
    cpuModel,
    cpus,
    topology,
    tsc,
    tools: found,
    perf,
    tracefs: await probeTracefs(env),
    powercap: await probePowercap(env),
    msrDevice: await env.exists('/dev/cpu/0/msr'),
    vms,
    notes,
  };
}
