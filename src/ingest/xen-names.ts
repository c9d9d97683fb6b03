import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import type { ParseOptions } from './types.js';

/** Xen's idle domain id (0x7FFF); its "vCPU" number is the pCPU. */
export const IDLE_DOMAIN = 32767;

/** Names dom0 goes by in `residency`/`samples` (bundle name, or `d<domid>` for domain 0). */
export const DOM0_NAMES: readonly string[] = ['Domain-0', 'd0'];

/** Whether a VM name is dom0's: host, not a guest. */
export const isDom0 = (vm: string): boolean => DOM0_NAMES.includes(vm);

/** Domain ids from 0x7FF0 up are reserved (idle, default, COW, IO…): never a VM. */
export function isGuestDomain(dom: number): boolean {
  return dom >= 0 && dom < 0x7ff0;
}

const BACKEND_THREAD = /^(?:blkback\.(\d+)\.|vif(\d+)\.\d)/;

/**
 * The guest domain id a Linux dom0 backend kernel thread serves, from its name: block
 * `blkback.<domid>.<dev>` (newer kernels add `-<ring>`), network `vif<domid>.<handle>-…`
 * (`-q0-guest-rx`, `-q0-dealloc`; comm is cut at 15 characters); undefined for other threads.
 */
export function xenBackendDomid(comm: string): number | undefined {
  const m = BACKEND_THREAD.exec(comm);
  return m ? Number(m[1] ?? m[2]) : undefined;
}

/** `d<dom>v<vcpu>`, the entity name of a vCPU in `samples` (xenalyze's spelling). */
export function vcpuEntity(dom: number, vcpu: number): string {
  return `d${dom}v${vcpu}`;
}

/**
 * Domain id → VM name for the `residency` table: `options.extra.domains` (built from
 * bundle.json `vms[].domid` and `name`) when it names the domain, else `d<domid>` (e.g. `d1`).
 */
export function domainNamer(options: ParseOptions): (dom: number) => string {
  const raw = options.extra?.['domains'];
  if (raw === undefined) return (dom) => `d${dom}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)
    || Object.values(raw).some((v) => typeof v !== 'string')) {
    throw new BundleError('bundle.xenDomains', messages.xenBadDomainMap());
  }
  const names = new Map<number, string>();
  for (const [id, name] of Object.entries(raw as Record<string, string>)) names.set(Number(id), name);
  return (dom) => names.get(dom) ?? `d${dom}`;
}
