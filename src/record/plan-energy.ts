import type { PlanBuilder } from './plan-types.js';
import { powercapRoot } from './probe-counters.js';
import { reasons } from './reasons.js';

/** turbostat every interval with epoch timestamps (TRACE-FORMATS.md §2), as root with the msr device. */
function planTurbostat(b: PlanBuilder): void {
  const { caps, options } = b;
  const turbostat = caps.tools.turbostat;
  if (caps.hypervisor === 'xen') return b.skip('turbostat', reasons.turbostatXen());
  if (turbostat === null) return b.skip('turbostat', reasons.turbostatMissing());
  if (!caps.root) return b.skip('turbostat', reasons.turbostatNotRoot());
  if (!caps.msrDevice) return b.skip('turbostat', reasons.turbostatNoMsr());
  const iterations = Math.round((options.durationSeconds * 1000) / options.intervalMs);
  b.add({
    kind: 'command', recorder: 'turbostat', phase: 'record', output: 'turbostat.txt', stdout: false,
    argv: [turbostat, '--quiet', '--enable', 'Time_Of_Day_Seconds', '--interval', String(options.intervalMs / 1000),
      '--num_iterations', String(iterations), '--out', b.path('turbostat.txt')],
  }, { format: 'turbostat' });
}

/**
 * Energy: vheat's powercap reader (µJ counters, read every interval) when the zones are
 * readable, and turbostat. RAPL through perf's `power` PMU rides along in the per-CPU perf
 * step. Xen dom0 cannot read RAPL at all (TRACE-FORMATS.md §3.1).
 */
export function planEnergy(b: PlanBuilder): void {
  const { caps, options } = b;
  const zones = caps.powercap.zones;
  const perfRapl = (caps.perf?.powerEvents.length ?? 0) > 0;
  if (caps.hypervisor === 'xen') {
    b.skip('rapl', zones.length > 0 || perfRapl ? reasons.raplXen() : reasons.noRapl(reasons.raplWhyXen()));
  } else if (zones.length === 0 && !perfRapl) {
    b.skip('rapl', reasons.noRapl(caps.nested ? reasons.raplWhyNested() : reasons.raplWhyPlain()));
  } else if (zones.length > 0 && !caps.powercap.readable) {
    b.skip('powercap', reasons.powercapUnreadable());
  } else if (zones.length > 0) {
    b.add({
      kind: 'powercap', recorder: 'powercap', phase: 'record', root: powercapRoot, zones: zones.map((z) => z.zone),
      intervalMs: options.intervalMs, durationSeconds: options.durationSeconds, output: 'powercap.csv',
    }, { format: 'powercap' });
  }
  planTurbostat(b);
}
