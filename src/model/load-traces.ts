import {
  energyDomains, readCounterSeries, readEnergySeries, readGaugeSeries, type KeyedSeries, type Series, type TraceRecord, type UnitMapping,
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
 * Reads counters, energy and frequency of each trace with energy (a trace without is nothing
 * to fit or score), split by socket or summed over the machine. The frequency may come from
 * another file of the same bundle (turbostat beside perf stat), and so may the counters when the
 * trace has none and the bundle has a counters-only file (XeMPower's pmc.csv beside its
 * rapl.csv); their times are moved onto this trace's clock (see `fromSibling`).
 */
export async function loadTraceUnits(store: Store, traces: readonly TraceRecord[], all: readonly TraceRecord[],
  options: LoadOptions): Promise<TraceUnit[]> {
  const mapping: UnitMapping = { perSocket: options.scope === 'socket', ...(options.cpuSocket ? { cpuSocket: options.cpuSocket } : {}) };
  const out: TraceUnit[] = [];
  for (const trace of traces) {
    const energy = await readEnergySeries(store, trace.id, options.domain);
    if (!energy.length) continue;
    // a sibling's counters only when it is a counters-only file: one with energy is a unit of its own
    const counters = await fromSibling(trace, all, async (id) =>
      (id !== trace.id && (await energyDomains(store, [id])).length > 0 ? [] : readCounterSeries(store, id, mapping)), true);
    const event = options.frequencyEvent;
    const gauges = event ? await fromSibling(trace, all, (id) => readGaugeSeries(store, id, event, mapping), false) : [];
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

/**
 * What `read` finds in `trace`, or else in the first other trace of its bundle where it finds
 * something, moved onto `trace`'s clock by the two files' absolute starts. With `sameStart`,
 * two files that both lack an absolute start are taken to start together (XeMPower's pmc.csv
 * and rapl.csv come from one xentrace run), as `attribute` does.
 */
async function fromSibling(trace: TraceRecord, all: readonly TraceRecord[], read: (traceId: number) => Promise<KeyedSeries[]>,
  sameStart: boolean): Promise<KeyedSeries[]> {
  const own = await read(trace.id);
  if (own.length || trace.bundle === null) return own;
  for (const sibling of all) {
    if (sibling.bundle !== trace.bundle || sibling.id === trace.id) continue;
    const bothKnown = sibling.startEpoch !== null && trace.startEpoch !== null;
    if (!bothKnown && !(sameStart && sibling.startEpoch === null && trace.startEpoch === null)) continue;
    const found = await read(sibling.id);
    if (!found.length) continue;
    const offset = bothKnown ? sibling.startEpoch! - trace.startEpoch! : 0;
    return found.map((s) => ({ ...s, t0: s.t0.map((t) => t + offset), t1: s.t1.map((t) => t + offset) }));
  }
  return [];
}

/** Events whose values are levels, not deltas: frequency and similar gauges. */
export const frequencyEvents = ['turbostat:Bzy_MHz', 'turbostat:Avg_MHz'] as const;
