import { PolicyError, excerpt } from '../errors.js';
import { messages } from '../messages.js';
import type { PolicyKind } from '../policies/registry.js';
import type { EngineState } from './engine-state.js';

/** Who returned the actions being applied, for the error that names the policy. */
interface Source {
  kind: PolicyKind;
  name: string;
  tick: number;
}

function describe(action: unknown): string {
  try {
    return excerpt(JSON.stringify(action) ?? String(action), 160);
  } catch {
    return String(action);
  }
}

function reject(source: Source, action: unknown, reason: string): never {
  throw new PolicyError('policy.badAction', messages.policyBadAction(source.kind, source.name, source.tick, describe(action), reason), {
    hint: messages.hintPolicyActions(source.kind),
  });
}

function index(source: Source, action: unknown, value: unknown, count: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= count) {
    reject(source, action, messages.actionNoSuch(what, value, count));
  }
  return value;
}

function fraction(source: Source, action: unknown, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) reject(source, action, messages.actionBadFraction(value));
  return value;
}

function list(source: Source, actions: unknown): readonly Record<string, unknown>[] {
  if (!Array.isArray(actions)) reject(source, actions, messages.actionNotArray());
  for (const a of actions) if (typeof a !== 'object' || a === null) reject(source, a, messages.actionNotObject());
  return actions as Record<string, unknown>[];
}

/**
 * Validates and applies a host policy's actions. `free` (the initial placement from `init`)
 * skips migration costs and counts; otherwise a migration costs `config.migration` unless it
 * moves the vCPU where the recording had it during this tick (`recorded`), whose cost the
 * recorded demand and events already contain. Throws `PolicyError` naming the policy on the
 * first impossible action; actions before it stay applied (the run is over anyway).
 */
export function applyHostActions(state: EngineState, actions: unknown, source: Source, recorded: Int32Array, free: boolean): void {
  const { layout, migration } = state.config;
  const V = state.vcpus;
  const P = layout.pcpus;
  for (const a of list(source, actions)) {
    switch (a.type) {
      case 'migrate': {
        const v = index(source, a, a.vcpu, V, 'vcpu');
        const p = index(source, a, a.pcpu, P, 'pcpu');
        if (state.vcpuPcpu[v] === p) break;
        state.vcpuPcpu[v] = p;
        if (free) break;
        state.tickMigrations++;
        if (recorded[v] !== p) {
          state.vcpuPendingCost[v]! += migration.seconds;
          state.vcpuPendingWarmup[v] = 1;
        }
        break;
      }
      case 'throttle-vcpu':
        state.vcpuThrottle[index(source, a, a.vcpu, V, 'vcpu')] = fraction(source, a, a.fraction);
        break;
      case 'throttle-pcpu':
        state.pcpuThrottle[index(source, a, a.pcpu, P, 'pcpu')] = fraction(source, a, a.fraction);
        break;
      case 'set-budget': {
        const m = index(source, a, a.vm, state.vms, 'vm');
        const p = index(source, a, a.pcpu, P, 'pcpu');
        if (a.watts !== null && (typeof a.watts !== 'number' || !(a.watts >= 0) || !Number.isFinite(a.watts))) {
          reject(source, a, messages.actionBadWatts(a.watts));
        }
        state.vmPcpuBudget[m * P + p] = a.watts === null ? NaN : a.watts;
        state.budgetVersion++;
        break;
      }
      case 'plug-vcpu': {
        const v = index(source, a, a.vcpu, V, 'vcpu');
        if (typeof a.online !== 'boolean') reject(source, a, messages.actionBadOnline(a.online));
        if (!a.online && state.vcpuOnline[v] && onlineVcpus(state, layout.vcpuVm[v]!) === 1) {
          reject(source, a, messages.actionLastVcpu(layout.vms[layout.vcpuVm[v]!]!.name));
        }
        state.vcpuOnline[v] = a.online ? 1 : 0;
        state.placementVersion++;
        break;
      }
      case 'balloon':
        state.vmBalloon[index(source, a, a.vm, state.vms, 'vm')] = fraction(source, a, a.fraction);
        break;
      default:
        reject(source, a, messages.actionUnknownType(a.type, hostActionTypes));
    }
  }
}

/** The action types a host policy may return. */
export const hostActionTypes = ['migrate', 'throttle-vcpu', 'throttle-pcpu', 'set-budget', 'plug-vcpu', 'balloon'] as const;
/** The action types a guest policy may return. */
export const guestActionTypes = ['move-task', 'throttle-task'] as const;

function onlineVcpus(state: EngineState, m: number): number {
  let n = 0;
  for (const g of state.config.layout.vms[m]!.vcpus) n += state.vcpuOnline[g]!;
  return n;
}

/** Validates and applies VM m's guest actions (local task and vCPU numbers). */
export function applyGuestActions(state: EngineState, m: number, actions: unknown, source: Source): void {
  const vm = state.config.layout.vms[m]!;
  const tasks = state.vmTaskStart[m + 1]! - state.vmTaskStart[m]!;
  for (const a of list(source, actions)) {
    switch (a.type) {
      case 'move-task': {
        const i = state.globalTask(m, index(source, a, a.task, tasks, 'task'));
        const v = vm.vcpus[index(source, a, a.vcpu, vm.vcpus.length, 'vcpu')]!;
        if (!state.vcpuOnline[v]) reject(source, a, messages.actionVcpuOffline(a.vcpu as number));
        state.taskVcpu[i] = v;
        state.placementVersion++;
        break;
      }
      case 'throttle-task':
        state.taskThrottle[state.globalTask(m, index(source, a, a.task, tasks, 'task'))] = fraction(source, a, a.fraction);
        break;
      default:
        reject(source, a, messages.actionUnknownType(a.type, guestActionTypes));
    }
  }
}
