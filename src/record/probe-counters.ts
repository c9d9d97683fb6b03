import type { HostCapabilities, PerfCapabilities } from './capabilities.js';
import type { HostEnv } from './host-env.js';

const pmuRoot = '/sys/bus/event_source/devices';
/** The powercap class folder the reader and the probe look at. */
export const powercapRoot = '/sys/class/powercap';
/** Hardware (core) PMUs: x86, hybrid x86, Arm. */
export const hardwarePmuName = /^(cpu|cpu_core|cpu_atom|armv8_pmuv3.*)$/;

async function eventNames(env: HostEnv, pmu: string, keep: RegExp): Promise<string[]> {
  return (await env.listDir(`${pmuRoot}/${pmu}/events`)).filter((e) => keep.test(e));
}

/**
 * perf's version, the paranoid level and the PMUs. A hardware PMU counts only when its sysfs
 * folder exists and `perf stat -e cycles true` does not answer `<not supported>` (Xen dom0
 * without vPMU, VMs without a virtual PMU).
 */
export async function probePerf(env: HostEnv, perf: string): Promise<PerfCapabilities> {
  const version = /perf version (\S+)/.exec((await env.run(perf, ['--version'])).stdout)?.[1];
  const paranoidText = (await env.readFile('/proc/sys/kernel/perf_event_paranoid'))?.trim();
  const pmus = await env.listDir(pmuRoot);
  let hardwarePmu = false;
  if (pmus.some((p) => hardwarePmuName.test(p))) {
    const check = await env.run(perf, ['stat', '-x,', '-e', 'cycles', 'true']);
    hardwarePmu = check.code === 0 && !/<not (supported|counted)>/.test(check.stdout + check.stderr);
  }
  return {
    version,
    paranoid: paranoidText !== undefined && /^-?\d+$/.test(paranoidText) ? Number(paranoidText) : undefined,
    pmus,
    hardwarePmu,
    msrEvents: await eventNames(env, 'msr', /^(tsc|aperf|mperf)$/),
    powerEvents: await eventNames(env, 'power', /^energy-[\w-]+$/),
  };
}

/** The first tracefs with an `events` folder, and whether the tracepoints vheat uses exist. */
export async function probeTracefs(env: HostEnv): Promise<HostCapabilities['tracefs']> {
  for (const path of ['/sys/kernel/tracing', '/sys/kernel/debug/tracing']) {
    if (!(await env.exists(`${path}/events`))) continue;
    return {
      path,
      schedSwitch: await env.exists(`${path}/events/sched/sched_switch`),
      kvmEvents: await env.exists(`${path}/events/kvm/kvm_exit`),
    };
  }
  return undefined;
}

/**
 * RAPL zones under /sys/class/powercap (`intel-rapl:<p>[:<k>]`, also used by AMD; the
 * `intel-rapl-mmio` duplicates are left out) and whether their `energy_uj` can be read (root
 * only on kernels with the CVE-2020-8694 fix).
 */
export async function probePowercap(env: HostEnv): Promise<HostCapabilities['powercap']> {
  const zones: { zone: string; name: string }[] = [];
  let readable = true;
  for (const zone of await env.listDir(powercapRoot)) {
    if (!/^intel-rapl:\d+(:\d+)*$/.test(zone)) continue;
    const name = (await env.readFile(`${powercapRoot}/${zone}/name`))?.trim();
    if (name === undefined) continue;
    zones.push({ zone, name });
    if ((await env.readFile(`${powercapRoot}/${zone}/energy_uj`)) === undefined) readable = false;
  }
  return { zones, readable: readable && zones.length > 0 };
}
