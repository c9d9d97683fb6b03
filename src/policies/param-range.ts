import { PolicyError } from '../errors.js';
import { messages } from '../messages.js';
import type { PolicyParams } from './types.js';

/** Bounds of a numeric policy parameter; every bound given must hold. */
export interface ParamRange {
  /** Strict lower bound (`> above`). */
  above?: number;
  /** Inclusive lower bound (`≥ atLeast`). */
  atLeast?: number;
  /** Inclusive upper bound (`≤ atMost`). */
  atMost?: number;
}

function describeRange(range: ParamRange): string {
  const parts: string[] = [];
  if (range.above !== undefined) parts.push(`> ${range.above}`);
  if (range.atLeast !== undefined) parts.push(`≥ ${range.atLeast}`);
  if (range.atMost !== undefined) parts.push(`≤ ${range.atMost}`);
  return parts.join(' and ');
}

/**
 * The number under `key` (else `fallback`), checked on arrival against `range`: a policy
 * parameter out of range (a zero interval, a negative resistance) throws `PolicyError` naming
 * the key instead of making the policy misbehave silently.
 */
export function numberInRange(params: PolicyParams, key: string, fallback: number, range: ParamRange): number {
  const value = params.number(key, fallback);
  const ok = (range.above === undefined || value > range.above)
    && (range.atLeast === undefined || value >= range.atLeast)
    && (range.atMost === undefined || value <= range.atMost);
  if (!ok) throw new PolicyError('policy.badParam', messages.policyParamRange(key, value, describeRange(range)));
  return value;
}
