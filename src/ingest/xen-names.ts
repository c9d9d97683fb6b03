import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import type { ParseOptions } from './types.js';

/** Xen's idle domain id (0x7FFF); its "vCPU" number is the pCPU. */
export const IDLE_DOMAIN = 32767;

/** Domain ids from 0x7FF0 up are reserved (idle, default, COW, IO…): never a VM. */
export function isGuestDomain(dom: number): boolean {
  return dom >= 0 && dom < 0x7ff0;
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
