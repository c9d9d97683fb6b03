/**
 * The policy registries, with the built-in policies registered at the end (docs/policies.md
 * lists them). Each lives in its own file, `src/policies/<name>.ts`, and registers here. Users
 * add their own with `registerHostPolicy`/`registerGuestPolicy`, or name a file
 * (`--host-policy ./mine.ts`) whose default export is a policy or a factory.
 */
import { balloonPolicy } from './balloon.js';
import { budgetPolicy } from './budget.js';
import { budgetFollowGuestPolicy } from './budget-follow.js';
import { defaultGuestPolicy } from './default.js';
import { energyAwareGuestPolicy } from './energy-aware.js';
import { energyBalanceThrottlePolicy } from './energy-balance-throttle.js';
import { energyBalancePolicy } from './energy-balance.js';
import { hotplugPolicy } from './hotplug.js';
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
registerHostPolicy('budget', budgetPolicy);
registerHostPolicy('hotplug', hotplugPolicy);
registerHostPolicy('balloon', balloonPolicy);
registerHostPolicy('energy-balance', energyBalancePolicy);
registerHostPolicy('energy-balance+throttle', energyBalanceThrottlePolicy);
registerGuestPolicy('default', defaultGuestPolicy);
registerGuestPolicy('energy-aware', energyAwareGuestPolicy);
registerGuestPolicy('budget-follow', budgetFollowGuestPolicy);
