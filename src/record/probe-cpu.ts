import type { HostTopology } from './capabilities.js';
import type { HostEnv } from './host-env.js';

const cpuRoot = '/sys/devices/system/cpu';

/** CPU numbers of a kernel cpu list such as `0-3,8,10-11`. */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    for (let c = Number(m[1]); c <= Number(m[2] ?? m[1]); c++) out.push(c);
  }
  return out;
}

/** `key : value` lines (`xl info`, /proc/cpuinfo's first block) as a map. */
export function parseColonLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) {
      const key = line.slice(0, at).trim();
      if (!out.has(key)) out.set(key, line.slice(at + 1).trim());
    }
  }
  return out;
}

/**
 * Topology of the online CPUs from sysfs `topology/physical_package_id` and `core_id`; the
 * cpu → socket map is kept only when numbering is not socket-major. Undefined when unreadable.
 */
export async function sysfsTopology(env: HostEnv, cpus: readonly number[]): Promise<HostTopology | undefined> {
  if (cpus.length === 0) return undefined;
  const socketOf: number[] = [];
  const threadsOfCore = new Map<string, number>();
  const coresOfSocket = new Map<number, Set<string>>();
  for (const cpu of cpus) {
    const dir = `${cpuRoot}/cpu${cpu}/topology`;
    const pkg = Number(await env.readFile(`${dir}/physical_package_id`));
    const die = (await env.readFile(`${dir}/die_id`))?.trim() ?? '0';
    const core = (await env.readFile(`${dir}/core_id`))?.trim();
    if (!Number.isInteger(pkg) || pkg < 0 || core === undefined) return undefined;
    const key = `${pkg}:${die}:${core}`;
    socketOf[cpu] = pkg;
    threadsOfCore.set(key, (threadsOfCore.get(key) ?? 0) + 1);
    if (!coresOfSocket.has(pkg)) coresOfSocket.set(pkg, new Set());
    coresOfSocket.get(pkg)!.add(key);
  }
  const sockets = coresOfSocket.size;
  const topology: HostTopology = {
    sockets,
    coresPerSocket: Math.max(...[...coresOfSocket.values()].map((s) => s.size)),
    threadsPerCore: Math.max(...threadsOfCore.values()),
  };
  const perSocket = cpus.length / sockets;
  const contiguous = cpus.every((c, i) => c === i);
  if (contiguous && cpus.some((c) => socketOf[c] !== Math.floor(c / perSocket))) topology.cpuSocket = socketOf.slice();
  return topology;
}

/** Host topology and pCPU count from `xl info` (dom0's sysfs shows only dom0's vCPUs). */
export function xlTopology(info: ReadonlyMap<string, string>): { cpus: number; topology: HostTopology | undefined } {
  const cpus = Number(info.get('nr_cpus'));
  const cores = Number(info.get('cores_per_socket'));
  const threads = Number(info.get('threads_per_core'));
  const sockets = cpus / (cores * threads);
  const valid = [cpus, cores, threads, sockets].every((n) => Number.isInteger(n) && n > 0);
  return {
    cpus: Number.isInteger(cpus) ? cpus : 0,
    topology: valid ? { sockets, coresPerSocket: cores, threadsPerCore: threads } : undefined,
  };
}

/** MHz text with up to 3 decimals (kHz precision) → Hz, exactly. */
function mhzToHz(text: string): number {
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 1e6 + Number(frac.padEnd(3, '0').slice(0, 3)) * 1e3;
}

/**
 * TSC frequency in Hz from the kernel log: the refined calibration when present, else
 * `tsc: Detected <MHz> MHz processor`.
 */
export function tscFromDmesg(text: string): number | undefined {
  const refined = /Refined TSC clocksource calibration: (\d+\.\d+) MHz/.exec(text);
  const detected = /tsc: Detected (\d+\.\d+) MHz/.exec(text);
  const mhz = refined?.[1] ?? detected?.[1];
  return mhz === undefined ? undefined : mhzToHz(mhz);
}

/** Nominal frequency in Hz from an Intel model name (`… @ 2.40GHz`), which is the TSC rate. */
export function tscFromModelName(model: string | undefined): number | undefined {
  const m = model === undefined ? null : /@ (\d+\.\d+)GHz/.exec(model);
  return m ? mhzToHz((Number(m[1]) * 1000).toFixed(3)) : undefined;
}

/** Host TSC frequency: `xl info` cpu_mhz on Xen, else dmesg, else the Intel model name. */
export async function probeTsc(env: HostEnv, xlInfo: ReadonlyMap<string, string> | undefined,
  cpuModel: string | undefined): Promise<{ hz: number; source: string } | undefined> {
  const xlMhz = xlInfo?.get('cpu_mhz');
  if (xlMhz !== undefined && /^\d+(\.\d+)?$/.test(xlMhz)) return { hz: mhzToHz(xlMhz), source: 'xl info cpu_mhz' };
  const dmesg = await env.run('dmesg', []);
  const fromLog = dmesg.code === 0 ? tscFromDmesg(dmesg.stdout) : undefined;
  if (fromLog !== undefined) return { hz: fromLog, source: 'dmesg' };
  const fromModel = tscFromModelName(cpuModel);
  return fromModel === undefined ? undefined : { hz: fromModel, source: '/proc/cpuinfo model name' };
}
