import type { ToolName } from './capabilities.js';
import type { PlanBuilder } from './plan-types.js';
import { reasons } from './reasons.js';

/** xentrace's event mask for the scheduler class (runstate changes, switches; TRACE-FORMATS.md §4.1). */
const schedulerClass = '0x0002f000';

/**
 * Xen dom0 recorders, all root-only: `xentrace` (vCPU placement, binary; the bundle's tsc_hz
 * converts its TSC), `xentop -b` every second (per-domain CPU and I/O; no timestamps, so the
 * runner stamps its start) and `xenpm start` (per-pCPU C/P-state residency over the run).
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
}
