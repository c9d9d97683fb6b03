import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import type { HostCapabilities, VmInfo } from './capabilities.js';
import { bundleFor } from './plan-bundle.js';
import { planEnergy } from './plan-energy.js';
import { planPerf } from './plan-perf.js';
import { planSched } from './plan-sched.js';
import { PlanBuilder, type PlanOptions, type RecordingPlan } from './plan-types.js';
import { planXen } from './plan-xen.js';
import { reasons } from './reasons.js';

function checkOptions(options: PlanOptions): void {
  if (!Number.isInteger(options.durationSeconds) || options.durationSeconds < 1) {
    throw new UsageError('record.duration', messages.recordBadDuration(String(options.durationSeconds)));
  }
  if (!Number.isInteger(options.intervalMs) || options.intervalMs < 10) {
    throw new UsageError('record.interval', messages.recordBadInterval(String(options.intervalMs)));
  }
}

function selectVms(vms: readonly VmInfo[], names: readonly string[] | undefined): readonly VmInfo[] {
  if (names === undefined) return vms;
  const known = vms.map((vm) => vm.name);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError('record.unknownVm', messages.recordUnknownVm(name, known), { hint: suggestSimilar(name, known) });
    }
  }
  return vms.filter((vm) => names.includes(vm.name));
}

/**
 * The recording for a probed host: which recorders run with which exact command lines, what is
 * skipped and why, and the bundle.json describing the result. Pure: nothing runs here.
 *
 *   options → VM selection → perf (per CPU, per thread, per cgroup) → sched_switch → Xen tools
 *   → energy (powercap, turbostat) → bundle.json
 *
 * Record steps come first, then post-processing steps, each in planning order.
 */
export function planRecording(caps: HostCapabilities, options: PlanOptions): RecordingPlan {
  checkOptions(options);
  const b = new PlanBuilder(caps, options, selectVms(caps.vms, options.vms));
  if (caps.hypervisor === 'xen' && !caps.xenDom0) b.skip('all', reasons.xenDomU());
  else {
    planPerf(b);
    planSched(b);
    planXen(b);
    planEnergy(b);
  }
  return {
    outDir: options.outDir,
    durationSeconds: options.durationSeconds,
    intervalMs: options.intervalMs,
    steps: [...b.steps.filter((s) => s.phase === 'record'), ...b.steps.filter((s) => s.phase === 'post')],
    skipped: b.skipped,
    bundle: bundleFor(caps, b.files),
  };
}
