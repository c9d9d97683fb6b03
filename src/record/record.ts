import { resolve } from 'node:path';
import type { HostCapabilities } from './capabilities.js';
import { nodeHostEnv, type HostEnv } from './host-env.js';
import { planRecording } from './plan.js';
import type { RecordingPlan } from './plan-types.js';
import { probeHost } from './probe.js';
import { runPlan, type RunOptions, type RunResult } from './run.js';

export interface RecordOptions extends RunOptions {
  /** Recording length in whole seconds; default 30. */
  durationSeconds?: number;
  /** Counter interval in ms; default 100. */
  intervalMs?: number;
  /** Bundle folder (made absolute); default `vheat-<host>-<UTC yyyymmdd-hhmmss>` in the working folder. */
  outDir?: string;
  /** VM names: per-VM recorders only for these (default every VM found). */
  vms?: readonly string[];
  /** Probe and plan only; run nothing. */
  dryRun?: boolean;
  /** The host; tests pass a fake. Defaults to this machine. */
  env?: HostEnv;
}

export interface RecordResult {
  capabilities: HostCapabilities;
  plan: RecordingPlan;
  /** Absent for a dry run. */
  run?: RunResult;
}

function defaultOutDir(host: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `vheat-${host}-${stamp}`;
}

/**
 * Records a bundle on this host (`vheat record`):
 *
 *   probeHost (what the host offers) → planRecording (commands, skips, bundle.json) → runPlan
 *
 * With `dryRun` it stops after planning, so the caller can show the exact commands and what is
 * skipped and why.
 */
export async function record(options: RecordOptions = {}): Promise<RecordResult> {
  const capabilities = await probeHost(options.env ?? nodeHostEnv);
  const plan = planRecording(capabilities, {
    durationSeconds: options.durationSeconds ?? 30,
    intervalMs: options.intervalMs ?? 100,
    outDir: resolve(options.outDir ?? defaultOutDir(capabilities.host)),
    ...(options.vms !== undefined ? { vms: options.vms } : {}),
  });
  if (options.dryRun) return { capabilities, plan };
  return { capabilities, plan, run: await runPlan(plan, options) };
}
