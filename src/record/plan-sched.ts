import { perfAllows } from './plan-perf.js';
import type { PlanBuilder } from './plan-types.js';
import { reasons } from './reasons.js';

/**
 * `sched:sched_switch` system-wide, for vCPU-thread residency (TRACE-FORMATS.md §5.2): `perf
 * record` then `perf script` when perf may (root or paranoid -1), else `trace-cmd record` then
 * `trace-cmd report` as root. In Xen dom0 it would see dom0's vCPUs only.
 */
export function planSched(b: PlanBuilder): void {
  const { caps } = b;
  if (caps.hypervisor === 'xen') return b.skip('sched-switch', reasons.schedXen());
  const perf = caps.tools.perf;
  const traceCmd = caps.tools['trace-cmd'];
  if (perf === null && traceCmd === null) return b.skip('sched-switch', reasons.schedNoTool());
  if (!caps.tracefs?.schedSwitch) return b.skip('sched-switch', reasons.schedNoTracefs());
  const seconds = String(b.options.durationSeconds);
  const post = (argv: string[], input: string, format: string): void =>
    b.add({ kind: 'command', recorder: 'sched-switch', phase: 'post', argv, input, output: 'sched.txt', stdout: true }, { format });
  if (perf !== null && perfAllows(caps, -1)) {
    b.add({
      kind: 'command', recorder: 'sched-switch', phase: 'record', output: 'sched.data', stdout: false,
      argv: [perf, 'record', '-q', '-e', 'sched:sched_switch', '-a', '-o', b.path('sched.data'), '--', 'sleep', seconds],
    }, { format: 'ignore' });
    post([perf, 'script', '-i', b.path('sched.data')], 'sched.data', 'perf-script');
  } else if (traceCmd !== null && caps.root) {
    b.add({
      kind: 'command', recorder: 'sched-switch', phase: 'record', output: 'sched.dat', stdout: false,
      argv: [traceCmd, 'record', '-e', 'sched:sched_switch', '-o', b.path('sched.dat'), 'sleep', seconds],
    }, { format: 'ignore' });
    post([traceCmd, 'report', '-i', b.path('sched.dat')], 'sched.dat', 'trace-cmd-report');
  } else b.skip('sched-switch', perf !== null ? reasons.perfTracepoints(caps.perf?.paranoid) : reasons.schedTraceCmdNotRoot());
}
