import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import type { ParseOptions } from './types.js';

/**
 * What a host thread does for a VM, judged from its name (TRACE-FORMATS.md §5.5):
 * - `vcpu`: qemu's `CPU <index>/<accel>` (needs `-name …,debug-threads=on`, which libvirt passes);
 * - `vhost` / `kvm-pit`: kernel workers named after the qemu process they serve
 *   (`vhost-<qemu pid>`, `kvm-pit/<qemu pid>`);
 * - `iothread`: qemu's `IO <name>` threads (`IO iothread0`, `IO mon_iothread`);
 * - `emulator`: the qemu process name itself (`qemu-system-x86`, truncated to 15 characters),
 *   which is the main loop, but also every thread when debug-threads is off.
 */
export type ThreadRole =
  | { kind: 'vcpu'; index: number }
  | { kind: 'vhost' | 'kvm-pit'; owner: number }
  | { kind: 'iothread' | 'emulator' };

const VCPU_NAME = /^CPU (\d+)\/(\w+)$/;
const OWNED_WORKER = /^(vhost)-(\d+)$|^(kvm-pit)\/(\d+)$/;
const IOTHREAD: ThreadRole = { kind: 'iothread' };
const EMULATOR: ThreadRole = { kind: 'emulator' };

/** The role a thread name implies, or null for threads that are not recognisably a VM's. */
export function threadRoleFromName(comm: string): ThreadRole | null {
  const c = comm.charCodeAt(0);
  if (c === 67 /* C */) {
    const m = VCPU_NAME.exec(comm);
    return m ? { kind: 'vcpu', index: Number(m[1]) } : null;
  }
  if (c === 118 /* v */ || c === 107 /* k */) {
    const m = OWNED_WORKER.exec(comm);
    if (!m) return null;
    return m[1] ? { kind: 'vhost', owner: Number(m[2]) } : { kind: 'kvm-pit', owner: Number(m[4]) };
  }
  if (comm.startsWith('IO ')) return IOTHREAD;
  if (comm.startsWith('qemu-system-')) return EMULATOR;
  return null;
}

/**
 * VM identity from the bundle, read from `ParseOptions.extra` (see bundle.ts):
 * `vmByPid` (qemu pid or thread id → VM name), `vms[].vcpu_tids` (thread id per vCPU index),
 * `vms[].io_tids` (I/O threads and vhost workers) and `vmName` (the one VM of a single-VM
 * recording, e.g. from qemu's `-name guest=NAME`). All optional.
 */
export interface KvmIdentity {
  vmOfPid: ReadonlyMap<number, string>;
  vcpuOfTid: ReadonlyMap<number, { vm: string; index: number }>;
  ioTids: ReadonlySet<number>;
  vmName: string | undefined;
}

function bad(detail: string): never {
  throw new BundleError('bundle.kvmIdentity', messages.kvmBadIdentity(detail));
}

function tidList(value: unknown, what: string): readonly number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((t) => !Number.isInteger(t))) bad(`${what} must be a list of thread ids`);
  return value as number[];
}

/** Reads the bundle's VM identity hints from parser options; malformed hints are a `BundleError`. */
export function kvmIdentity(options: ParseOptions): KvmIdentity {
  const extra = options.extra ?? {};
  const vmOfPid = new Map<number, string>();
  const vcpuOfTid = new Map<number, { vm: string; index: number }>();
  const ioTids = new Set<number>();
  const byPid = extra['vmByPid'];
  if (byPid !== undefined) {
    if (byPid === null || typeof byPid !== 'object' || Array.isArray(byPid)) bad('vmByPid must map ids to names');
    for (const [id, name] of Object.entries(byPid)) {
      if (typeof name !== 'string' || !/^\d+$/.test(id)) bad(`vmByPid entry ${id} is not id → name`);
      vmOfPid.set(Number(id), name);
    }
  }
  const vms = extra['vms'];
  if (vms !== undefined) {
    if (!Array.isArray(vms)) bad('vms must be a list');
    for (const vm of vms as unknown[]) {
      const v = (vm ?? {}) as Record<string, unknown>;
      if (typeof v['name'] !== 'string') bad('every vms entry needs a name');
      const name = v['name'];
      tidList(v['vcpu_tids'], `vms[${name}].vcpu_tids`).forEach((tid, index) => vcpuOfTid.set(tid, { vm: name, index }));
      for (const tid of tidList(v['io_tids'], `vms[${name}].io_tids`)) ioTids.add(tid);
    }
  }
  const vmName = extra['vmName'];
  if (vmName !== undefined && typeof vmName !== 'string') bad('vmName must be a string');
  return { vmOfPid, vcpuOfTid, ioTids, vmName };
}
