import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import type { ParseOptions, Topology } from './types.js';

/** One VM of the recorded host, as `bundle.json` names it. */
const vmSchema = z.object({
  name: z.string().min(1),
  /** Xen domain id. */
  domid: z.number().int().nonnegative().optional(),
  /** QEMU process id (KVM). */
  pid: z.number().int().positive().optional(),
  /** cgroup path as perf -G printed it. */
  cgroup: z.string().optional(),
  vcpus: z.number().int().positive().optional(),
  /** Thread ids of the vCPU threads, index = vCPU number (KVM). */
  vcpu_tids: z.array(z.number().int().positive()).optional(),
  /** Thread ids of QEMU I/O threads and vhost workers acting for this VM (KVM). */
  io_tids: z.array(z.number().int().positive()).optional(),
});

/** Per-file settings: the format when sniffing should not decide, plus format options. */
const fileSchema = z.object({
  /** A format name (see `vheat ingest --help`), or `ignore` for files that are not traces. */
  format: z.string().optional(),
  /** Sampling interval in seconds, for formats without timestamps. */
  interval_seconds: z.number().positive().optional(),
  /** Absolute start, Unix epoch seconds, when the file has no anchor of its own. */
  start_epoch_seconds: z.number().optional(),
}).passthrough();

/**
 * `bundle.json`: the optional description of a recording bundle (DESIGN.md "A recording
 * bundle"). Field names are snake_case because people write this file by hand.
 */
export const bundleSchema = z.object({
  version: z.literal(1).default(1),
  host: z.string().min(1).optional(),
  hypervisor: z.enum(['xen', 'kvm', 'none']).optional(),
  cpu_model: z.string().optional(),
  topology: z.object({
    sockets: z.number().int().positive(),
    cores_per_socket: z.number().int().positive(),
    threads_per_core: z.number().int().positive().default(1),
    /** cpu → socket, when numbering is not socket-major. */
    cpu_socket: z.array(z.number().int().nonnegative()).optional(),
  }).optional(),
  /** Host TSC frequency in Hz (needed for xentrace timestamps). */
  tsc_hz: z.number().positive().optional(),
  /** RAPL counter range in µJ, when the files do not carry it. */
  energy_range_uj: z.number().positive().optional(),
  /** Thermal limits used by replay metrics, °C. */
  thermal: z.object({
    limit_celsius: z.number().optional(),
    ambient_celsius: z.number().optional(),
  }).optional(),
  vms: z.array(vmSchema).optional(),
  /** Keyed by file name relative to the bundle folder. */
  files: z.record(z.string(), fileSchema).optional(),
});

export type Bundle = z.infer<typeof bundleSchema>;
export type BundleVm = z.infer<typeof vmSchema>;

/** Validates a parsed bundle.json value; `file` names it in errors. */
export function parseBundle(value: unknown, file = 'bundle.json'): Bundle {
  const result = bundleSchema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new BundleError('bundle.invalid', messages.badBundleJson(detail), {
    context: { file },
    hint: 'see README "Recording bundles" for the fields of bundle.json',
  });
}

/** Reads `<dir>/bundle.json` if present. */
export async function readBundle(dir: string): Promise<Bundle | undefined> {
  const file = join(dir, 'bundle.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BundleError('bundle.json', messages.badBundleJson((e as Error).message), { context: { file } });
  }
  return parseBundle(value, file);
}

function topologyOf(bundle: Bundle): Topology | undefined {
  const t = bundle.topology;
  if (!t) return undefined;
  return {
    sockets: t.sockets,
    coresPerSocket: t.cores_per_socket,
    threadsPerCore: t.threads_per_core,
    ...(t.cpu_socket ? { cpuSocket: t.cpu_socket } : {}),
  };
}

/**
 * The bundle host's CPU → socket map (index = CPU number): `topology.cpu_socket`, else the
 * socket-major numbering bundle.json implies without it (`cores_per_socket × threads_per_core`
 * CPUs per socket, as `socketOfCpu` reads it); undefined without a topology. Ingest keeps it in
 * `traces.meta.cpuSocket`, so per-socket models need no `--cpu-socket`.
 */
export function bundleCpuSocket(bundle: Bundle | undefined): number[] | undefined {
  const t = bundle?.topology;
  if (!t) return undefined;
  if (t.cpu_socket) return [...t.cpu_socket];
  const perSocket = t.cores_per_socket * t.threads_per_core;
  return Array.from({ length: t.sockets * perSocket }, (_, cpu) => Math.floor(cpu / perSocket));
}

/**
 * Parser options for one file of the bundle (`name` relative to the bundle folder). `identity`
 * replaces bundle.json `vms` when given (the VMs `identifyVms` found, which are the bundle's own
 * when it lists any), with `vmName` for a recording's only inferred VM.
 */
export function parseOptionsFor(bundle: Bundle | undefined, name: string,
  identity?: { vms: readonly BundleVm[]; vmName?: string }): ParseOptions {
  const vms = identity?.vms ?? bundle?.vms ?? [];
  if (!bundle && vms.length === 0) return {};
  const file = bundle?.files?.[name];
  const vmByPid: Record<number, string> = {};
  const domains: Record<number, string> = {};
  for (const vm of vms) {
    if (vm.pid !== undefined) vmByPid[vm.pid] = vm.name;
    for (const tid of [...(vm.vcpu_tids ?? []), ...(vm.io_tids ?? [])]) vmByPid[tid] = vm.name;
    if (vm.domid !== undefined) domains[vm.domid] = vm.name;
  }
  const topology = bundle ? topologyOf(bundle) : undefined;
  return {
    ...(topology ? { topology } : {}),
    ...(bundle?.tsc_hz ? { tscHz: bundle.tsc_hz } : {}),
    ...(bundle?.energy_range_uj ? { energyRangeMicrojoules: bundle.energy_range_uj } : {}),
    ...(file?.interval_seconds ? { intervalSeconds: file.interval_seconds } : {}),
    extra: { ...(identity?.vmName ? { vmName: identity.vmName } : {}), ...file, vmByPid, domains, vms },
  };
}
