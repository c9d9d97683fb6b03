import type { ToolName } from './capabilities.js';
import { hardwareEvents, noPmuReason, perfStat, softwareEvents } from './plan-perf.js';
import type { PlanBuilder } from './plan-types.js';
import { reasons } from './reasons.js';

/** xentrace's event mask for the scheduler class (runstate changes, switches; TRACE-FORMATS.md §4.1). */
const schedulerClass = '0x0002f000';

/** The file `vheat generate` writes for dom0's backend threads, and ingest reads as `backend` series. */
export const dom0BackendFile = 'perf-stat-dom0.csv';

/**
 * dom0's backend kernel threads (`perf stat --per-thread -t <tids>` inside dom0): each
 * blkback/netback thread serves one guest, so its counts are the I/O work dom0 does for that
 * guest; ingest derives them as the guest's `backend` series and attribute charges them to it,
 * apart from dom0's own work. Hardware events only with Xen's vPMU.
 */
function planBackends(b: PlanBuilder): void {
  const { caps } = b;
  const perf = caps.perf;
  if (caps.tools.perf === null || perf === undefined) return b.skip('perf-backend', reasons.perfMissing());
  if (!caps.root) return b.skip('perf-backend', reasons.backendNotRoot());
  const tids = b.selectedVms.flatMap((vm) => vm.backendTids ?? []);
  if (tids.length === 0) return b.skip('perf-backend', reasons.backendNone());
  if (!perf.hardwarePmu) b.skip('hardware-counters', noPmuReason(caps));
  perfStat(b, 'perf-backend', dom0BackendFile, ['--per-thread', '-t', tids.join(',')],
    [...softwareEvents, ...(perf.hardwarePmu ? hardwareEvents : [])]);
}

/**
 * Xen dom0 recorders, all root-only: `xentrace` (vCPU placement, binary; the bundle's tsc_hz
 * converts its TSC), `xentop -b` every second (per-domain CPU and I/O; no timestamps, so the
 * runner stamps its start), `xenpm start` (per-pCPU C/P-state residency over the run) and perf
 * on dom0's backend threads (planBackends).
 */
export function planXen(b: PlanBuilder): void {
  const { caps } = b;
  if (caps.hypervisor !== 'xen') return;
  const seconds = b.options.durationSeconds;
  const tool = (name: ToolName): string | undefined => {
    const path = caps.tools[name];
    if (path === null) b.skip(name, reasons.xenToolMissing(name));
    else if (!caps.root) b.skip(name, reasons.xenNotRoot(name));
    else return path;
    return undefined;
  };
  const xentrace = tool('xentrace');
  if (xentrace !== undefined) {
    b.add({
      kind: 'command', recorder: 'xentrace', phase: 'record', output: 'xentrace.bin', stdout: false,
      argv: [xentrace, '-D', '-e', schedulerClass, '-T', String(seconds), b.path('xentrace.bin')],
    }, { format: 'xentrace' });
  }
  const xentop = tool('xentop');
  if (xentop !== undefined) {
    // -i counts samples; the first is at 0 s, so one more than the seconds covers the run
    b.add({
      kind: 'command', recorder: 'xentop', phase: 'record', output: 'xentop.txt', stdout: true, stampStart: true,
      argv: [xentop, '-b', '-d', '1', '-i', String(seconds + 1)],
    }, { format: 'xentop', interval_seconds: 1 });
  }
  const xenpm = tool('xenpm');
  if (xenpm !== undefined) {
    b.add({
      kind: 'command', recorder: 'xenpm', phase: 'record', output: 'xenpm.txt', stdout: true,
      argv: [xenpm, 'start', String(seconds)],
    }, { format: 'xenpm' });
  }
  planBackends(b);
}
