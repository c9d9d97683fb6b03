/**
 * Which events take one of the core PMU's few programmable counters (4 per hyperthread on recent
 * Intel, 6 on AMD Zen) and which come free: the fixed counters (cycles, instructions,
 * ref-cycles), uncore and RAPL PMUs (`uncore_imc/…/`, `power/…/`), software events, tracepoints
 * and tool columns (`turbostat:…`). Events beyond the programmable counters are multiplexed and
 * get noisier, which is why `--events auto` keeps to `--max-events` of them.
 */
const fixedEvents = new Set(['cycles', 'cpu-cycles', 'instructions', 'ref-cycles', 'inst_retired.any',
  'cpu_clk_unhalted.thread', 'cpu_clk_unhalted.ref_tsc']);
const softwareEvents = new Set(['task-clock', 'cpu-clock', 'context-switches', 'cs', 'cpu-migrations', 'migrations',
  'page-faults', 'faults', 'major-faults', 'minor-faults', 'alignment-faults', 'emulation-faults', 'duration_time']);

/** Default number of programmable counters `--events auto` may use. */
export const defaultMaxEvents = 4;

/** True when `event` needs a programmable core counter. */
export function usesProgrammableCounter(event: string): boolean {
  const base = event.replace(/:[ukhGHpPS]+$/, '').toLowerCase();
  if (fixedEvents.has(base) || softwareEvents.has(base)) return false;
  if (base.includes(':')) return false; // tracepoints (kvm:kvm_exit) and tool columns (turbostat:Bzy_MHz)
  const pmu = /^([a-z_0-9]+)\//.exec(base)?.[1];
  if (pmu !== undefined) return pmu === 'cpu' || pmu.startsWith('cpu_');
  return true;
}
