import {
  readCounterSeries, readEnergySeries, readGaugeSeries, type KeyedSeries, type Series, type TraceRecord, type UnitMapping,
} from '../store/calibration-data.js';
import type { Store } from '../store/store.js';

/** The series of one trace for one model unit (a socket, or the machine when unit is −1). */
export interface TraceUnit {
  trace: TraceRecord;
  unit: number;
  counters: Map<string, Series>;
  /** Energy series that add up to the unit's energy (several sockets for a machine-wide model). */
  energy: Series[];
  /** Frequency gauge (MHz) on this trace's clock, or null. */
  gauge: Series | null;
}

/** What to read for each trace. */
export interface LoadOptions {
  domain: string;
  scope: 'socket' | 'host';
  cpuSocket?: readonly number[];
  /** Gauge event giving the clock in MHz (e.g. `turbostat:Bzy_MHz`), or null. */
  frequencyEvent: string | null;
}

/**
 * Reads counters, energy and frequency of each trace, split by socket or summed over the
 * machine. The frequency may come from another file of the same bundle (turbostat beside perf
 * stat); its times are moved onto this trace's clock through both files' absolute starts.
 */
export async function loadTraceUnits(store: Store, traces: readonly TraceRecord[], all: readonly TraceRecord[],
  options: LoadOptions): Promise<TraceUnit[]> {
  const mapping: UnitMapping = { perSocket: options.scope === 'socket', ...(options.cpuSocket ? { cpuSocket: options.cpuSocket } : {}) };
  const out: TraceUnit[] = [];
  for (const trace of traces) {
    const counters = await readCounterSeries(store, trace.id, mapping);
    const energy = await readEnergySeries(store, trace.id, options.domain);
    const gauges = options.frequencyEvent ? await gaugeFor(store, trace, all, options.frequencyEvent, mapping) : [];
    const units = options.scope === 'host' ? [-1] : [...new Set(energy.map((e) => e.unit))].filter((u) => u >= 0);
    for (const unit of units) {
      const mine = (s: KeyedSeries): boolean => s.unit === unit;
      out.push({
        trace,
        unit,
        counters: new Map(counters.filter(mine).map((s) => [s.key, s])),
        energy: options.scope === 'host' ? energy : energy.filter(mine),
        gauge: gauges.find(mine) ?? null,
      });
    }
  }
  return out;
}

async function gaugeFor(store: Store, trace: TraceRecord, all: readonly TraceRecord[], event: string, mapping: UnitMapping): Promise<KeyedSeries[]> {
  const own = await readGaugeSeries(store, trace.id, event, mapping);
  if (own.length || trace.bundle === null || trace.startEpoch === null) return own;
  for (const sibling of all) {
    if (sibling.bundle !== trace.bundle || sibling.id === trace.id || sibling.startEpoch === null) continue;
    const found = await readGaugeSeries(store, sibling.id, event, mapping);
    if (!found.length) continue;
    const offset = sibling.startEpoch - trace.startEpoch;
    return found.map((s) => ({ ...s, t0: s.t0.map((t) => t + offset), t1: s.t1.map((t) => t + offset) }));
  }
  return [];
}

/** Events whose values are levels, not deltas: frequency and similar gauges. */
export const frequencyEvents = ['turbostat:Bzy_MHz', 'turbostat:Avg_MHz'] as const;
