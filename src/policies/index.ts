/**
 * The policy registries. Built-in host policies: `recorded`, `pinned`, `load-balance`;
 * built-in guest policy: `default`. More policies live one per file in `src/policies/<name>.ts`
 * and register here. Users add their own with `registerHostPolicy`/`registerGuestPolicy`, or
 * name a file (`--host-policy ./mine.ts`) whose default export is a policy or a factory.
 */
import { defaultGuestPolicy } from './default.js';
import { loadBalancePolicy } from './load-balance.js';
import { pinnedPolicy } from './pinned.js';
import { recordedPolicy } from './recorded.js';
import { PolicyRegistry, type PolicySpec, type ResolvedPolicy } from './registry.js';
import type { GuestPolicy, GuestPolicyFactory, HostPolicy, HostPolicyFactory } from './types.js';

const hostPolicies = new PolicyRegistry<HostPolicy>('host');
const guestPolicies = new PolicyRegistry<GuestPolicy>('guest');

/** Registers a host policy under `name`; throws `PolicyError` if taken, unless `override`. */
export function registerHostPolicy(name: string, factory: HostPolicyFactory, options: { override?: boolean } = {}): void {
  hostPolicies.register(name, factory, options);
}

/** Registers a guest policy under `name`; throws `PolicyError` if taken, unless `override`. */
export function registerGuestPolicy(name: string, factory: GuestPolicyFactory, options: { override?: boolean } = {}): void {
  guestPolicies.register(name, factory, options);
}

/** A host policy from an object, a factory, a registered name or a file path (see `PolicyRegistry.resolve`). */
export function resolveHostPolicy(spec: PolicySpec<HostPolicy>): Promise<ResolvedPolicy<HostPolicy>> {
  return hostPolicies.resolve(spec);
}

/** A guest policy from an object, a factory, a registered name or a file path. */
export function resolveGuestPolicy(spec: PolicySpec<GuestPolicy>): Promise<ResolvedPolicy<GuestPolicy>> {
  return guestPolicies.resolve(spec);
}

/** Names of the registered host policies, sorted. */
export function hostPolicyNames(): string[] {
  return hostPolicies.names();
}

/** Names of the registered guest policies, sorted. */
export function guestPolicyNames(): string[] {
  return guestPolicies.names();
}

registerHostPolicy('recorded', recordedPolicy);
registerHostPolicy('pinned', pinnedPolicy);
registerHostPolicy('load-balance', loadBalancePolicy);
registerGuestPolicy('default', defaultGuestPolicy);
